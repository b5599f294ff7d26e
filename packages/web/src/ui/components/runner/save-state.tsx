import { useSyncExternalStore } from 'react';
import type { SaveStatus, SaveTracker } from './save-tracker.ts';

function describe(status: SaveStatus): string {
  switch (status.kind) {
    case 'idle':
      return '';
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved on device';
    case 'failed':
      return `Not saved: ${status.message}`;
  }
}

/** Renders the runner's save indicator, announced politely by screen readers. */
export function SaveState({ tracker }: { tracker: SaveTracker }) {
  const status = useSyncExternalStore(tracker.subscribe, tracker.getSnapshot);
  return (
    <span
      className={`save-state save-state--${status.kind}`}
      data-testid="save-state"
      data-state={status.kind}
      aria-live="polite"
      role="status"
    >
      {describe(status)}
    </span>
  );
}
