import { useSyncExternalStore } from 'react';
import { refreshFromServer } from '../../data/index.ts';
import { errorMessage } from '../format.ts';

// One shared state for downloads from the server, so every list shows the same progress and
// error, and two screens never start two downloads at once.

export interface RefreshState {
  running: boolean;
  /** Why the last download failed, in words; null after a good one. */
  error: string | null;
  /** Unix milliseconds of the last download that finished well. */
  completedAt: number | null;
}

let state: RefreshState = { running: false, error: null, completedAt: null };
let current: Promise<void> | null = null;
const listeners = new Set<() => void>();

function update(next: Partial<RefreshState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) {
    listener();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Downloads the signed-in person's work into the device database; joins a running download. */
export function runRefresh(): Promise<void> {
  if (current) {
    return current;
  }

  update({ running: true, error: null });
  current = refreshFromServer()
    .then(() => update({ running: false, completedAt: Date.now() }))
    .catch((error: unknown) => update({ running: false, error: errorMessage(error) }))
    .finally(() => {
      current = null;
    });
  return current;
}

/** Forgets the last download, so the next person to sign in starts with a fresh one. */
export function resetRefresh(): void {
  update({ running: false, error: null, completedAt: null });
}

/** React hook: the state of the download from the server. */
export function useRefreshState(): RefreshState {
  return useSyncExternalStore(subscribe, () => state);
}
