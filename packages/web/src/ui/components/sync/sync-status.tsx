import type { SyncPhase, SyncState } from '../../../data/index.ts';
import { formatBytes, formatDateTime, formatTimeAgo } from '../../format.ts';
import { ProgressBar } from '../progress-bar.tsx';

const PHASE_LABELS: Readonly<Record<SyncPhase, string>> = {
  idle: 'Idle',
  pushing: 'Sending answers',
  uploading: 'Uploading photos',
  pulling: 'Receiving changes',
  submitting: 'Sending submissions',
  offline: 'Offline, waiting for the network',
};

/** Renders the sync engine's phase, progress, current upload, last sync time and last error. */
export function SyncStatus({ sync }: { sync: SyncState }) {
  return (
    <section className="panel" aria-label="Sync status">
      <p
        className="sync-status__phase"
        id="sync-phase-note"
        data-testid="sync-phase"
        data-phase={sync.phase}
        aria-live="polite"
      >
        {PHASE_LABELS[sync.phase]}
      </p>
      {sync.progress ? (
        <ProgressBar
          value={sync.progress.done}
          max={sync.progress.total}
          label={`${PHASE_LABELS[sync.phase]}: ${sync.progress.done} of ${sync.progress.total}`}
          testId="sync-progress"
        />
      ) : null}
      {sync.upload ? (
        <div className="sync-status__upload">
          <span className="muted">
            Photo upload: {formatBytes(sync.upload.bytesUploaded)} of{' '}
            {formatBytes(sync.upload.byteSize)}
          </span>
          <ProgressBar
            value={sync.upload.bytesUploaded}
            max={sync.upload.byteSize}
            label="Photo upload"
            testId="upload-progress"
          />
        </div>
      ) : null}
      <p className="muted" data-testid="last-synced" title={formatDateTime(sync.lastSyncedAt)}>
        Last synced: {formatTimeAgo(sync.lastSyncedAt)}
      </p>
      {sync.error ? (
        <p className="form-error" role="alert" data-testid="sync-error">
          Last sync stopped: {sync.error}
        </p>
      ) : null}
    </section>
  );
}
