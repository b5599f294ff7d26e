import type { UserView } from '@avior/contract';
import { useEffect, type ReactNode } from 'react';
import { runRefresh, useRefreshState } from '../hooks/use-refresh.ts';
import { Link } from '../router.tsx';
import { homePathFor } from '../format.ts';
import { MainNav } from './main-nav.tsx';
import { NotificationToasts } from './notification-toasts.tsx';
import { OnlineStatus } from './online-status.tsx';
import { SignOutButton } from './sign-out-button.tsx';
import { StatusBanners } from './status-banners.tsx';
import { SyncBadge } from './sync-badge.tsx';

interface AppShellProps {
  user: UserView;
  online: boolean;
  expired: boolean;
  children: ReactNode;
}

/** Downloads the person's work once per sign-in, as soon as the device is online. */
function useFirstRefresh(online: boolean, expired: boolean): void {
  const refresh = useRefreshState();
  const due = online && !expired && refresh.completedAt === null && !refresh.error;

  useEffect(() => {
    if (due) {
      void runRefresh();
    }
  }, [due]);
}

/** Renders the frame of every signed-in screen: header, navigation, banners and toasts. */
export function AppShell({ user, online, expired, children }: AppShellProps) {
  useFirstRefresh(online, expired);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__header">
        <div className="shell__bar">
          <Link to={homePathFor(user.role)} className="brand" aria-label="Avior home">
            Avior
          </Link>
          <div className="shell__status">
            <OnlineStatus online={online} />
            <SyncBadge />
            <SignOutButton />
          </div>
        </div>
        <MainNav role={user.role} />
      </header>
      <StatusBanners online={online} expired={expired} />
      <main id="main" className="shell__main" tabIndex={-1}>
        {children}
      </main>
      <NotificationToasts />
    </div>
  );
}
