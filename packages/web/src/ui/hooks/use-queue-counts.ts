import { useLiveQuery } from 'dexie-react-hooks';
import { db, type PhotoStatus } from '../../data/index.ts';

export interface QueueCounts {
  /** Answer edits, photos and submissions waiting for their turn to sync. */
  waiting: number;
  /** Photos being sent now. */
  uploading: number;
  /** Items that failed or that the server rejected. */
  failed: number;
  /** Conflicts not yet resolved. */
  conflicts: number;
}

const PHOTO_WAITING_STATUSES: readonly PhotoStatus[] = ['compressing', 'waiting'];

async function countQueues(): Promise<QueueCounts> {
  const [mutationsWaiting, mutationsFailed] = await Promise.all([
    db.mutations.where('status').equals('waiting').count(),
    db.mutations.where('status').anyOf('failed', 'rejected').count(),
  ]);
  const [photosWaiting, photosUploading, photosFailed] = await Promise.all([
    db.photos.where('status').anyOf(PHOTO_WAITING_STATUSES).count(),
    db.photos.where('status').equals('uploading').count(),
    db.photos.where('status').equals('failed').count(),
  ]);
  const [submissionsWaiting, submissionsFailed] = await Promise.all([
    db.submissions.where('status').equals('waiting').count(),
    db.submissions.where('status').equals('failed').count(),
  ]);

  // resolvedAt is null while open, and IndexedDB does not index null, so this filters.
  const conflicts = await db.conflicts.filter((conflict) => !conflict.resolvedAt).count();
  return {
    waiting: mutationsWaiting + photosWaiting + submissionsWaiting,
    uploading: photosUploading,
    failed: mutationsFailed + photosFailed + submissionsFailed,
    conflicts,
  };
}

/** React hook: the sizes of the sync queues, live; undefined until the first read. */
export function useQueueCounts(): QueueCounts | undefined {
  return useLiveQuery(countQueues, []);
}
