import type { AviorDatabase, MetaKey } from './db.ts';

// Whole-database helpers: meta values, the amount of work that would be lost, and clearing the
// data of one person while keeping the device's identity and clock.

export async function readMeta<T>(db: AviorDatabase, key: MetaKey): Promise<T | null> {
  const entry = await db.meta.get(key);
  return entry === undefined ? null : (entry.value as T);
}

/**
 * Counts work that exists only on this device: answer edits waiting or failed, photos not yet
 * uploaded and submissions not yet sent. Rejected edits are not counted, because the server
 * has rejected them for good.
 */
export async function countWaitingWork(db: AviorDatabase): Promise<number> {
  const [mutations, photos, submissions] = await Promise.all([
    db.mutations.where('status').anyOf('waiting', 'failed').count(),
    db.photos.where('status').noneOf(['uploaded']).count(),
    db.submissions.where('status').anyOf('waiting', 'failed').count(),
  ]);
  return mutations + photos + submissions;
}

// Device id and clock survive a change of person: stamps must keep rising on this device. A
// pending sign-out concerns the browser's refresh cookie, not the person's data.
const DEVICE_META_KEYS = new Set(['deviceId', 'clockOffsetMs', 'hlc', 'signOutPending']);

/** Deletes everything that belongs to the signed-in person. */
export async function clearLocalData(db: AviorDatabase): Promise<void> {
  const personal = db.tables.filter((table) => table.name !== 'meta');
  await db.transaction('rw', [db.meta, ...personal], async () => {
    await Promise.all(personal.map((table) => table.clear()));
    const keys = (await db.meta.toCollection().primaryKeys()).filter(
      (key) => !DEVICE_META_KEYS.has(key),
    );
    await db.meta.bulkDelete(keys);
  });
}
