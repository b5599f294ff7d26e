import { useEffect } from 'react';
import { useSession } from '../data/index.ts';
import { AppShell } from './components/app-shell.tsx';
import { Skeleton } from './components/skeleton.tsx';
import { homePathFor } from './format.ts';
import { useBackgroundSync } from './hooks/use-background-sync.ts';
import { useSessionRestore } from './hooks/use-session-restore.ts';
import { Redirect, renderRoute } from './routes.tsx';
import { usePath } from './router.tsx';
import { SignInScreen } from './screens/sign-in.screen.tsx';

const SESSION_ENDED_NOTICE =
  'Your session has ended. Sign in again to sync; your work stays on this device.';

/** Restores the session, then renders sign-in or the screens of the person's role. */
export function App() {
  const restore = useSessionRestore();
  const session = useSession();
  const path = usePath();
  const user = session.status === 'signed_in' ? session.user : null;
  useBackgroundSync(user?.id ?? null);
  useDocumentTitle(path);

  if (session.status === 'loading') {
    if (restore.error) {
      return <SignInScreen notice={`Could not open the saved session: ${restore.error}`} />;
    }

    return (
      <main className="startup" id="main">
        <p className="sign-in__brand">Avior</p>
        <Skeleton rows={3} label="Opening Avior" />
      </main>
    );
  }

  if (!user) {
    return <SignInScreen />;
  }

  if (path === '/login') {
    if (!session.expired) {
      return <Redirect to={homePathFor(user.role)} />;
    }

    return (
      <SignInScreen
        email={user.email}
        notice={SESSION_ENDED_NOTICE}
        backPath={homePathFor(user.role)}
      />
    );
  }

  return (
    <AppShell user={user} online={session.online} expired={session.expired}>
      {renderRoute(path, user.role)}
    </AppShell>
  );
}

const TITLES: readonly [prefix: string, title: string][] = [
  ['/surveys/', 'Survey'],
  ['/surveys', 'Surveys'],
  ['/facilities', 'Facilities'],
  ['/sync', 'Sync'],
  ['/notifications', 'Notifications'],
  ['/manage/surveys/', 'Survey detail'],
  ['/manage', 'Manage surveys'],
];

/** Names the page after the screen, so history entries and screen readers tell them apart. */
function useDocumentTitle(path: string): void {
  useEffect(() => {
    const title = TITLES.find(([prefix]) => path.startsWith(prefix))?.[1];
    document.title = title ? `${title} · Avior` : 'Avior';
  }, [path]);
}
