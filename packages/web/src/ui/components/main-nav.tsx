import type { Role } from '@avior/contract';
import type { ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../data/index.ts';
import { usesManagerScreens } from '../format.ts';
import { Link, usePath } from '../router.tsx';
import { BellIcon, BuildingIcon, ChartIcon, ClipboardIcon, SyncIcon } from './icons.tsx';

interface NavItem {
  to: string;
  label: string;
  /** Label of the tab bar on narrow screens. */
  shortLabel: string;
  testId: string;
  icon: () => ReactNode;
}

const COMMON_ITEMS: readonly NavItem[] = [
  {
    to: '/surveys',
    label: 'Surveys',
    shortLabel: 'Surveys',
    testId: 'nav-surveys',
    icon: ClipboardIcon,
  },
  {
    to: '/facilities',
    label: 'Facilities',
    shortLabel: 'Facilities',
    testId: 'nav-facilities',
    icon: BuildingIcon,
  },
  { to: '/sync', label: 'Sync', shortLabel: 'Sync', testId: 'nav-sync', icon: SyncIcon },
  {
    to: '/notifications',
    label: 'Notifications',
    shortLabel: 'Alerts',
    testId: 'nav-notifications',
    icon: BellIcon,
  },
];

const MANAGE_ITEM: NavItem = {
  to: '/manage',
  label: 'Manage',
  shortLabel: 'Manage',
  testId: 'nav-manage',
  icon: ChartIcon,
};

function useUnreadCount(): number {
  return useLiveQuery(() => db.notifications.filter((item) => !item.readAt).count(), [], 0);
}

/** Renders the main navigation: a bottom tab bar on phones, a row in the header on wide screens. */
export function MainNav({ role }: { role: Role }) {
  const path = usePath();
  const unread = useUnreadCount();
  const items = usesManagerScreens(role) ? [...COMMON_ITEMS, MANAGE_ITEM] : COMMON_ITEMS;

  return (
    <nav className="main-nav" aria-label="Main">
      {items.map((item) => {
        const active = path === item.to || path.startsWith(`${item.to}/`);
        const showUnread = item.testId === 'nav-notifications' && unread > 0;
        return (
          <Link
            key={item.to}
            to={item.to}
            className="main-nav__link"
            data-testid={item.testId}
            aria-current={active ? 'page' : undefined}
          >
            <span className="main-nav__icon">{item.icon()}</span>
            <span className="main-nav__label main-nav__label--long">{item.label}</span>
            <span className="main-nav__label main-nav__label--short">{item.shortLabel}</span>
            {showUnread ? (
              <span className="main-nav__count" aria-label={`${unread} unread`}>
                {unread}
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
