import type { UserView } from '@avior/contract';

// The in-memory state screens subscribe to (useSession, useSyncState). Everything else the
// screens show comes from the device database.

export type SessionStatus = 'loading' | 'signed_out' | 'signed_in';

export interface SessionState {
  status: SessionStatus;
  /** The signed-in person, also while offline with work on the device. */
  user: UserView | null;
  /** False while the device has no network or the server cannot be reached. */
  online: boolean;
  /** True when the server refused the saved session; the person must sign in again. */
  expired: boolean;
}

export type SyncPhase = 'idle' | 'pushing' | 'uploading' | 'pulling' | 'submitting' | 'offline';

export interface SyncState {
  phase: SyncPhase;
  /** ISO time of the last sync that reached the server. */
  lastSyncedAt: string | null;
  /** Progress of the running step; null when idle. */
  progress: { done: number; total: number } | null;
  /** The photo uploading now and its bytes sent. */
  upload: { photoId: string; bytesUploaded: number; byteSize: number } | null;
  /** Last error that stopped a sync round, in words; null after a clean round. */
  error: string | null;
}

export const INITIAL_SYNC_STATE: SyncState = {
  phase: 'idle',
  lastSyncedAt: null,
  progress: null,
  upload: null,
  error: null,
};
