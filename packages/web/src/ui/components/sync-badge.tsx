import { useQueueCounts } from '../hooks/use-queue-counts.ts';
import { Link } from '../router.tsx';
import { SyncIcon } from './icons.tsx';

/** Renders the number of items waiting to sync as a link to the sync screen. */
export function SyncBadge() {
  const counts = useQueueCounts();
  const pending = counts ? counts.waiting + counts.uploading : 0;
  const failed = counts?.failed ?? 0;
  const label = `${pending} waiting to sync${failed > 0 ? `, ${failed} failed` : ''}`;

  return (
    <Link
      to="/sync"
      className={`sync-badge${pending > 0 ? ' sync-badge--pending' : ''}`}
      aria-label={label}
      title={label}
    >
      <SyncIcon />
      <span data-testid="sync-badge" data-count={pending}>
        {pending}
      </span>
      {failed > 0 ? <span className="sync-badge__failed" aria-hidden="true" /> : null}
    </Link>
  );
}
