import { useState } from 'react';
import { retryFailed, syncNow, useSyncState } from '../../data/index.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { ConflictRow } from '../components/sync/conflict-row.tsx';
import { QueueList } from '../components/sync/queue-list.tsx';
import { SyncStatus } from '../components/sync/sync-status.tsx';
import { errorMessage } from '../format.ts';
import { useConflicts } from '../hooks/use-conflicts.ts';
import { useQueueCounts, type QueueCounts } from '../hooks/use-queue-counts.ts';
import { useQueueItems } from '../hooks/use-queue-items.ts';

const COUNT_TILES: readonly { key: keyof QueueCounts; label: string; testId: string }[] = [
  { key: 'waiting', label: 'Waiting', testId: 'sync-waiting' },
  { key: 'uploading', label: 'Uploading', testId: 'sync-uploading' },
  { key: 'failed', label: 'Failed', testId: 'sync-failed' },
  { key: 'conflicts', label: 'Conflicts', testId: 'sync-conflicts' },
];

/** Renders the sync screen: queue counts, engine state, queued and failed items, conflicts. */
export function SyncScreen() {
  const sync = useSyncState();
  const counts = useQueueCounts();
  const items = useQueueItems();
  const conflicts = useConflicts();
  const [retryError, setRetryError] = useState<string | null>(null);

  const retry = async () => {
    setRetryError(null);
    try {
      await retryFailed();
      await syncNow();
    } catch (error) {
      setRetryError(errorMessage(error));
    }
  };

  return (
    <section className="screen" data-testid="sync-screen" aria-labelledby="sync-title">
      <div className="screen__head">
        <h1 id="sync-title">Sync</h1>
      </div>
      <div className="count-tiles">
        {COUNT_TILES.map((tile) => (
          <div
            key={tile.key}
            className={`count-tile count-tile--${tile.key}`}
            data-active={counts ? counts[tile.key] > 0 : false}
          >
            <span className="count-tile__value" data-testid={tile.testId}>
              {counts ? counts[tile.key] : '–'}
            </span>{' '}
            <span className="count-tile__label">{tile.label}</span>
          </div>
        ))}
      </div>
      <SyncStatus sync={sync} />
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          data-testid="sync-now"
          aria-describedby="sync-phase-note"
          onClick={() => void syncNow()}
        >
          Sync now
        </button>
        <button
          type="button"
          className="button button--secondary"
          data-testid="retry-failed"
          disabled={!counts || counts.failed === 0}
          onClick={() => void retry()}
        >
          Retry failed
        </button>
      </div>
      {retryError ? <ErrorMessage>Could not retry: {retryError}</ErrorMessage> : null}
      <ConflictList conflicts={conflicts} />
      {items ? (
        <>
          <QueueList
            title="Failed"
            items={items.failed}
            testId="failed-list"
            emptyText="Nothing failed."
          />
          <QueueList
            title="Waiting to sync"
            items={items.waiting}
            testId="waiting-list"
            emptyText="Everything on this device has reached the server."
          />
        </>
      ) : (
        <Skeleton rows={3} label="Loading the sync queue" />
      )}
    </section>
  );
}

function ConflictList({ conflicts }: { conflicts: ReturnType<typeof useConflicts> }) {
  if (!conflicts || conflicts.length === 0) {
    return null;
  }

  return (
    <section className="panel" aria-labelledby="conflicts-title">
      <h2 className="panel__title" id="conflicts-title">
        Conflicts
      </h2>
      <p className="muted">
        Another write replaced these answers. Keep the current value or restore the overwritten one.
      </p>
      <ul className="list">
        {conflicts.map((item) => (
          <ConflictRow key={item.conflict.id} item={item} />
        ))}
      </ul>
    </section>
  );
}
