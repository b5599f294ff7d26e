import { compareHlc, type SyncChange, type SyncPullResult } from '@avior/contract';
import type { Device } from './device.ts';
import { readMeta } from './local-data.ts';

// Pulls answer changes from GET /v1/sync/pull, oldest first, from the cursor stored in meta
// 'pullCursor' (opaque, made by the server; a device without one starts from the beginning).
//
// Merge rule, per answer: a change replaces the device's answer when the device's answer is
// clean (dirty 0) or the change's HLC stamp is later than the device's. A dirty answer with a
// later stamp stays: its mutation is still queued and the server will order the two. Each
// change's stamp is merged into the device clock, so the next local edit is stamped later.
//
// A page's changes and its cursor are written in one transaction, so the stored cursor never
// runs ahead of the stored answers: a pull cut off between pages resumes where it stopped.
// Changes for surveys that are not on the device are skipped; fetching such a survey later
// brings its answers in full.

const MAX_PAGES_PER_PULL = 1_000;

export interface PullOutcome {
  /** Answers replaced on the device. */
  applied: number;
  /** True when another device changed an answer that has a local edit waiting. */
  touchedDirty: boolean;
}

export async function pullChanges(device: Device): Promise<PullOutcome> {
  const outcome: PullOutcome = { applied: 0, touchedDirty: false };
  for (let page = 0; page < MAX_PAGES_PER_PULL; page += 1) {
    const cursor = await readMeta<string>(device.db, 'pullCursor');
    const query = new URLSearchParams({ limit: String(device.pullPageSize) });
    if (cursor) query.set('cursor', cursor);

    const result = await device.api.get<SyncPullResult>(`/v1/sync/pull?${query.toString()}`);
    await applyPage(device, result, outcome);
    if (!result.hasMore) break;
  }
  return outcome;
}

async function applyPage(
  device: Device,
  page: SyncPullResult,
  outcome: PullOutcome,
): Promise<void> {
  const clock = await device.clock();
  const { db } = device;
  await db.transaction('rw', [db.answers, db.surveys, db.meta], async () => {
    const surveyIds = [...new Set(page.changes.map((change) => change.surveyId))];
    const surveys = await db.surveys.bulkGet(surveyIds);
    const known = new Set(surveys.map((survey) => survey?.id));

    for (const change of page.changes) {
      clock.receive(change.hlc);
      if (!known.has(change.surveyId)) continue;

      const fromOtherDevice = change.deviceId !== clock.deviceId;
      const result = await mergeChange(device, change);
      if (result.localDirty && fromOtherDevice) outcome.touchedDirty = true;
      if (result.replaced) outcome.applied += 1;
    }
    await db.meta.put({ key: 'pullCursor', value: page.cursor });
  });
}

async function mergeChange(
  device: Device,
  change: SyncChange,
): Promise<{ replaced: boolean; localDirty: boolean }> {
  const key: [string, string] = [change.surveyId, change.questionId];
  const local = await device.db.answers.get(key);
  const localDirty = local?.dirty === 1;
  if (local && localDirty && compareHlc(change.hlc, local.hlc) <= 0) {
    return { replaced: false, localDirty };
  }

  await device.db.answers.put({
    surveyId: change.surveyId,
    questionId: change.questionId,
    value: change.value,
    note: change.note,
    hlc: change.hlc,
    updatedAt: change.changedAt,
    dirty: 0,
  });
  return { replaced: true, localDirty };
}
