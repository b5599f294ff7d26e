import { runRefresh, useRefreshState } from '../hooks/use-refresh.ts';
import { Link } from '../router.tsx';

interface StatusBannersProps {
  online: boolean;
  expired: boolean;
}

/** Renders banners for states that concern every screen: offline, session ended, download failed. */
export function StatusBanners({ online, expired }: StatusBannersProps) {
  const refresh = useRefreshState();

  return (
    <div className="banners">
      {online ? null : (
        <div className="banner banner--offline" data-testid="offline-banner" role="status">
          You are offline. Your work is saved on this device and syncs when the signal returns.
        </div>
      )}
      {expired ? (
        <div className="banner banner--warning" data-testid="session-expired" role="alert">
          <span>
            Your session has ended. Sign in again to sync; everything you entered stays on this
            device.
          </span>
          <Link to="/login" className="button button--small">
            Sign in again
          </Link>
        </div>
      ) : null}
      {refresh.error && online ? (
        <div className="banner banner--error" data-testid="refresh-error" role="alert">
          <span>{refresh.error}</span>
          <button type="button" className="button button--small" onClick={() => void runRefresh()}>
            Try again
          </button>
        </div>
      ) : null}
    </div>
  );
}
