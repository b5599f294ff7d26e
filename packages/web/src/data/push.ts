import {
  compareHlc,
  parseHlc,
  type AnswerSetMutation,
  type MutationResult,
  type SyncPushResult,
} from '@avior/contract';
import type { QueuedMutation } from './db.ts';
import type { Device } from './device.ts';
import { ApiError, describeFailure, isRetryable } from './errors.ts';
import { byQueueOrder } from './queue.ts';
import { scheduleRetry } from './retry.ts';

// Pushes queued answer edits to POST /v1/sync/push.
//
// Order: waiting mutations go oldest first, in batches of at most PUSH_BATCH_SIZE. A mutation
// is left out while its `nextAttemptAt` lies ahead or a photo in `waitsForMedia` is not
// uploaded; the server accepts a photo answer only after its photos.
//
// Results, per mutation:
//   applied, duplicate  the server has it: the mutation is deleted and the answer is clean
//                       (dirty 0) unless a newer local edit exists;
//   superseded          the same, but a later write won on the server and a conflict record
//                       was made, so the caller fetches conflicts;
//   rejected            final: status rejected with the server's message.
// Transport failures (no network, 408, 429, 5xx) put every mutation of the batch on its own
// retry schedule (see retry.ts) and end the push; mutations not in that batch keep theirs.
// A 4xx for the batch as a whole is narrowed down: a problem naming mutations[i] rejects that
// mutation, otherwise the batch is split in halves until the bad mutation is alone in one.

export const PUSH_BATCH_SIZE = 200;
// A stamp this far ahead of the corrected clock was made with a wrong wall clock.
const STAMP_AHEAD_TOLERANCE_MS = 60_000;
const MAX_BATCHES_PER_PUSH = 100;

export interface PushOutcome {
  /** Mutations the server now has. */
  accepted: number;
  superseded: number;
  /** Accepted mutations whose write made a conflict record, on either side of it. */
  conflicted: number;
  rejected: number;
}

/** Pushes every eligible mutation; throws on transport failure after scheduling retries. */
export async function pushMutations(device: Device): Promise<PushOutcome> {
  const outcome: PushOutcome = { accepted: 0, superseded: 0, conflicted: 0, rejected: 0 };
  const total = await device.db.mutations.where('status').equals('waiting').count();
  for (let round = 0; round < MAX_BATCHES_PER_PUSH; round += 1) {
    const batch = await claimBatch(device);
    if (batch.length === 0) break;

    try {
      await pushBatch(device, batch, outcome);
    } finally {
      for (const mutation of batch) device.inFlight.delete(mutation.id);
    }
    const done = outcome.accepted + outcome.rejected;
    device.sync.update({ progress: { done, total: Math.max(done, total) } });
  }
  device.sync.update({ progress: null });
  return outcome;
}

/**
 * Reads the next batch and marks it in flight inside one read transaction. IndexedDB runs this
 * transaction and an edit's read-write transaction one after the other, so an edit either
 * lands before the read (and is sent) or sees the in-flight mark (and queues a new mutation).
 */
async function claimBatch(device: Device): Promise<QueuedMutation[]> {
  const { db } = device;
  const now = device.now();
  return db.transaction('r', [db.mutations, db.photos], async () => {
    const waiting = await db.mutations.where('status').equals('waiting').toArray();
    const due = waiting.filter((m) => m.nextAttemptAt <= now && !device.inFlight.has(m.id));
    const photoIds = [...new Set(due.flatMap((m) => m.waitsForMedia))];
    const photos = await db.photos.bulkGet(photoIds);
    const pending = new Set(
      photos.filter((p) => p !== undefined && p.status !== 'uploaded').map((p) => p?.id),
    );

    const batch = due
      .filter((m) => m.waitsForMedia.every((id) => !pending.has(id)))
      .sort(byQueueOrder)
      .slice(0, PUSH_BATCH_SIZE);
    for (const mutation of batch) device.inFlight.add(mutation.id);
    return batch;
  });
}

async function pushBatch(
  device: Device,
  batch: readonly QueuedMutation[],
  outcome: PushOutcome,
): Promise<void> {
  const clock = await device.clock();
  let response: SyncPushResult;
  try {
    response = await device.api.post<SyncPushResult>('/v1/sync/push', {
      deviceId: clock.deviceId,
      mutations: batch.map(toWire),
    });
  } catch (error) {
    if (isRetryable(error)) {
      await scheduleRetries(device, batch, error);
      throw error;
    }
    if (!(error instanceof ApiError) || error.status === 401) throw error;

    await narrowRefusedBatch(device, batch, error, outcome);
    return;
  }

  await applyResults(device, batch, response.results, outcome);
}

function toWire(mutation: QueuedMutation): AnswerSetMutation {
  return {
    clientMutationId: mutation.id,
    kind: 'answer.set',
    surveyId: mutation.surveyId,
    questionId: mutation.questionId,
    value: mutation.value,
    note: mutation.note,
    hlc: mutation.hlc,
  };
}

async function applyResults(
  device: Device,
  batch: readonly QueuedMutation[],
  results: readonly MutationResult[],
  outcome: PushOutcome,
): Promise<void> {
  const byId = new Map(batch.map((mutation) => [mutation.id, mutation]));
  const { db } = device;
  await db.transaction('rw', [db.mutations, db.answers], async () => {
    for (const result of results) {
      const mutation = byId.get(result.clientMutationId);
      if (!mutation) continue;

      if (result.status === 'rejected') {
        await markRejected(device, mutation, describeRejection(result));
        outcome.rejected += 1;
        continue;
      }
      await settleAccepted(device, mutation);
      outcome.accepted += 1;
      if (result.status === 'superseded') outcome.superseded += 1;
      if (result.conflictId) outcome.conflicted += 1;
    }
  });
}

function describeRejection(result: MutationResult): string {
  return result.message ?? `the server rejected the change (${result.code ?? 'no reason given'})`;
}

/**
 * Removes a mutation the server has, cleans its answer when no newer local edit exists, and
 * drops older unsent edits of the same question: last-writer-wins would discard them anyway,
 * and sending them would only leave conflict records behind.
 */
async function settleAccepted(device: Device, mutation: QueuedMutation): Promise<void> {
  const { db } = device;
  const key: [string, string] = [mutation.surveyId, mutation.questionId];
  const sameQuestion = await db.mutations
    .where('surveyId')
    .equals(mutation.surveyId)
    .filter((other) => other.questionId === mutation.questionId && other.id !== mutation.id)
    .toArray();
  const older = sameQuestion.filter(
    (other) => compareHlc(other.hlc, mutation.hlc) < 0 && !device.inFlight.has(other.id),
  );
  await db.mutations.bulkDelete([mutation.id, ...older.map((other) => other.id)]);

  const newerQueued = sameQuestion.some((other) => compareHlc(other.hlc, mutation.hlc) > 0);
  const answer = await db.answers.get(key);
  if (answer?.dirty && answer.hlc === mutation.hlc && !newerQueued) {
    await db.answers.update(key, { dirty: 0 });
  }
}

async function markRejected(
  device: Device,
  mutation: QueuedMutation,
  message: string,
): Promise<void> {
  await device.db.mutations.update(mutation.id, {
    status: 'rejected',
    attempts: mutation.attempts + 1,
    error: message,
  });
}

async function scheduleRetries(
  device: Device,
  batch: readonly QueuedMutation[],
  error: unknown,
): Promise<void> {
  const failure = describeFailure(error);
  await device.db.transaction('rw', device.db.mutations, async () => {
    for (const mutation of batch) {
      const retry = scheduleRetry(mutation.attempts, device.now(), failure, device.random);
      await device.db.mutations.update(mutation.id, {
        attempts: retry.attempts,
        nextAttemptAt: retry.nextAttemptAt,
        error: retry.error,
        status: retry.exhausted ? 'failed' : 'waiting',
      });
    }
  });
}

/** Handles a 4xx for a whole batch; see the module comment. */
async function narrowRefusedBatch(
  device: Device,
  batch: readonly QueuedMutation[],
  error: ApiError,
  outcome: PushOutcome,
): Promise<void> {
  const named = namedMutations(error, batch);
  if (named.some((problem) => problem.field.endsWith('hlc'))) {
    const restamped = await restampAhead(device, batch);
    if (restamped > 0) return;
  }

  if (named.length > 0) {
    for (const { mutation } of named) await markRejected(device, mutation, error.message);
    outcome.rejected += named.length;
    return;
  }
  if (batch.length === 1 && batch[0]) {
    await markRejected(device, batch[0], error.message);
    outcome.rejected += 1;
    return;
  }

  // Halves go out one after the other; each may narrow down further.
  const middle = Math.ceil(batch.length / 2);
  for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
    await pushBatch(device, half, outcome);
  }
}

interface NamedProblem {
  readonly field: string;
  readonly mutation: QueuedMutation;
}

/** Mutations a 400's details point at, read from fields like body.mutations[3].hlc. */
function namedMutations(error: ApiError, batch: readonly QueuedMutation[]): NamedProblem[] {
  const details = error.details as { problems?: { field?: unknown }[] } | null;
  const named: NamedProblem[] = [];
  for (const problem of details?.problems ?? []) {
    const field = typeof problem.field === 'string' ? problem.field : '';
    const match = /mutations\D{0,2}(\d+)/.exec(field);
    const mutation = match ? batch[Number(match[1])] : undefined;
    if (mutation && !named.some((entry) => entry.mutation === mutation)) {
      named.push({ field, mutation });
    }
  }
  return named;
}

/**
 * Gives a new stamp to each mutation of the batch whose stamp is ahead of the corrected clock:
 * the device's wall clock was wrong when it was made. Answers that carry the old stamp take the
 * new one. Returns how many changed; the mutations stay waiting and go out with the next batch.
 */
async function restampAhead(device: Device, batch: readonly QueuedMutation[]): Promise<number> {
  const clock = await device.clock();
  const limit = clock.now() + STAMP_AHEAD_TOLERANCE_MS;
  const ahead = batch.filter((mutation) => parseHlc(mutation.hlc).wallMs > limit);
  const { db } = device;

  await db.transaction('rw', [db.mutations, db.answers, db.meta], async () => {
    for (const mutation of ahead) {
      const hlc = clock.tick();
      const key: [string, string] = [mutation.surveyId, mutation.questionId];
      const answer = await db.answers.get(key);
      if (answer?.hlc === mutation.hlc) await db.answers.update(key, { hlc });
      await db.mutations.update(mutation.id, { hlc });
      await db.meta.put({ key: 'hlc', value: hlc });
    }
  });
  if (ahead.length > 0) {
    device.logger.warn(`sync push restamped ${ahead.length} changes made with a clock ahead`);
  }
  return ahead.length;
}
