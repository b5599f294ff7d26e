import type { AnswerValue, SyncConflictView } from '@avior/contract';
import type { Device } from './device.ts';
import { toActionError } from './action-errors.ts';
import { ActionError, ApiError } from './errors.ts';

// Conflicts are values that lost a last-writer-wins merge on the server. The device keeps the
// server's open conflicts in the `conflicts` table. Resolving one happens on the server, which
// writes the chosen value as a new change that the next pull brings.

/** Replaces the device's conflicts with the server's open ones, so resolved ones disappear. */
export async function fetchConflicts(device: Device): Promise<void> {
  const conflicts = await listOpenConflicts(device);
  const { db } = device;
  await db.transaction('rw', db.conflicts, async () => {
    await db.conflicts.clear();
    await db.conflicts.bulkPut(conflicts);
  });
}

/**
 * Lists open conflicts with `?open=true`. A server that predates the parameter rejects it with a
 * 400 naming `open`; the full list, filtered on the device, then gives the same result.
 */
async function listOpenConflicts(device: Device): Promise<SyncConflictView[]> {
  try {
    return await device.api.get<SyncConflictView[]>('/v1/sync/conflicts?open=true');
  } catch (error) {
    if (!rejectsOpenParameter(error)) throw error;
  }

  const all = await device.api.get<SyncConflictView[]>('/v1/sync/conflicts');
  return all.filter((conflict) => !conflict.resolvedAt);
}

function rejectsOpenParameter(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 400) return false;

  const text = `${error.message} ${JSON.stringify(error.details)}`;
  return /\bopen\b/.test(text);
}

/** Resolves a conflict on the server and stores the resolved record. */
export async function resolveConflict(
  device: Device,
  conflictId: string,
  choose: 'winning' | 'losing' | 'value',
  value?: AnswerValue | null,
): Promise<void> {
  if (choose === 'value' && value === undefined) {
    throw new ActionError('value_missing', 'Choose a value to resolve the conflict with', 'value');
  }

  const body = choose === 'value' ? { choose, value } : { choose };
  let resolved: SyncConflictView;
  try {
    resolved = await device.api.post<SyncConflictView>(
      `/v1/sync/conflicts/${encodeURIComponent(conflictId)}/resolve`,
      body,
    );
  } catch (error) {
    throw toActionError(error, 'Resolving a conflict');
  }

  await device.db.conflicts.put(resolved);
  device.notifyLocalWrite();
}
