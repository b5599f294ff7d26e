import { useSyncExternalStore } from 'react';
import { getDevice } from './device.ts';
import type { SessionState, SyncState } from './state.ts';

/** React hook: the current session. */
export function useSession(): SessionState {
  const store = getDevice().session;
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/** React hook: the sync engine's state. Queue contents are in db tables. */
export function useSyncState(): SyncState {
  const store = getDevice().sync;
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
