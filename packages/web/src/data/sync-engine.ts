import { v7 as uuidv7 } from 'uuid';
import { fetchConflicts } from './conflicts.ts';
import type { Device } from './device.ts';
import { isNavigatorOnline } from './device.ts';
import { NetworkError, SessionExpiredError, describeError } from './errors.ts';
import { connectNotifications } from './notifications.ts';
import { resumeInterruptedPhotos } from './photos.ts';
import { pullChanges } from './pull.ts';
import { pushMutations } from './push.ts';
import { unrefTimer } from './session.ts';
import type { SyncPhase } from './state.ts';
import { sendSubmissions } from './submissions.ts';
import { uploadPhotos } from './uploads.ts';

// The sync engine. A round runs these steps in order:
//   1. push     queued answer edits whose photos are on the server (push.ts),
//   2. upload   photos (uploads.ts), then push again if an upload let photo answers go,
//   3. submit   surveys whose edits and photos are all on the server (submissions.ts),
//   4. pull     changes from other devices and people (pull.ts),
//   5. conflicts, fetched when a push made a conflict record (the device's write lost, or
//      overwrote another device's value) or a pull brought another device's change.
// Only one round runs at a time; a call during a round schedules one more round after it, so
// an edit made during a round is pushed without waiting for the timer. A lost network or an
// expired session ends the round early; any other failure of a step is recorded in the sync
// state and the next step still runs. Each queue row carries its own retry schedule, so a
// round only sends rows that are due.
//
// Background sync (startBackgroundSync) runs a round at start, when the browser goes online
// (making waiting rows due at once), shortly after local writes and every 30 s, and keeps the
// notification socket open.

const PERIOD_MS = 30_000;
const AFTER_WRITE_DELAY_MS = 1_500;

/** Runs a sync round now, or joins the one running (one more round follows it). Never throws. */
export function syncNow(device: Device): Promise<void> {
  const engine = engineOf(device);
  if (engine.running) {
    engine.again ??= engine.running.then(() => {
      engine.again = null;
      return syncNow(device);
    });
    return engine.again;
  }

  engine.running = runRound(device).finally(() => {
    engine.running = null;
  });
  return engine.running;
}

interface EngineState {
  running: Promise<void> | null;
  again: Promise<void> | null;
}

const engines = new WeakMap<Device, EngineState>();

function engineOf(device: Device): EngineState {
  let engine = engines.get(device);
  if (!engine) {
    engine = { running: null, again: null };
    engines.set(device, engine);
  }
  return engine;
}

async function runRound(device: Device): Promise<void> {
  const session = device.session.get();
  if (session.status !== 'signed_in') return;
  if (session.expired) {
    device.sync.update({ phase: 'idle', error: new SessionExpiredError().message });
    return;
  }
  if (!isNavigatorOnline()) {
    device.session.update({ online: false });
    device.sync.update({ phase: 'offline', progress: null, upload: null });
    return;
  }

  const errors: string[] = [];
  try {
    await runSteps(device, errors);
    await recordSynced(device);
    device.sync.update({ phase: 'idle', error: errors[0] ?? null });
  } catch (error) {
    const offline = error instanceof NetworkError;
    if (!offline && !(error instanceof SessionExpiredError)) {
      device.logger.error('sync round failed', error);
    }
    device.sync.update({ phase: offline ? 'offline' : 'idle', error: describeError(error) });
  } finally {
    device.sync.update({ progress: null, upload: null });
  }
}

async function runSteps(device: Device, errors: string[]): Promise<void> {
  let needConflicts = false;
  const push = async () => {
    const outcome = await pushMutations(device);
    if (outcome.superseded > 0 || outcome.conflicted > 0) needConflicts = true;
  };

  await step(device, 'pushing', errors, push);
  await step(device, 'uploading', errors, async () => {
    if ((await uploadPhotos(device)) > 0) await push();
  });
  await step(device, 'submitting', errors, () => sendSubmissions(device));
  await step(device, 'pulling', errors, async () => {
    // The device whose value was overwritten learns of the conflict from the pull.
    const pulled = await pullChanges(device);
    if (pulled.touchedDirty || pulled.applied > 0) needConflicts = true;
  });
  if (needConflicts) await step(device, 'pulling', errors, () => fetchConflicts(device));
}

/** Runs one step; a lost network or session ends the round, other failures are recorded. */
async function step(
  device: Device,
  phase: SyncPhase,
  errors: string[],
  work: () => Promise<unknown>,
): Promise<void> {
  device.sync.update({ phase });
  try {
    await work();
  } catch (error) {
    if (error instanceof NetworkError || error instanceof SessionExpiredError) throw error;
    device.logger.warn(`sync step ${phase} failed`, error);
    errors.push(describeError(error));
  }
}

async function recordSynced(device: Device): Promise<void> {
  const lastSyncedAt = new Date(device.now()).toISOString();
  await device.db.meta.put({ key: 'lastSyncedAt', value: lastSyncedAt });
  device.sync.update({ lastSyncedAt });
}

/**
 * Puts failed and rejected mutations, failed submissions and photos that ran out of retries back
 * in the queue.
 */
export async function retryFailed(device: Device): Promise<void> {
  const { db } = device;
  const again = { attempts: 0, nextAttemptAt: 0, error: null };
  const tables = [db.mutations, db.photos, db.answers, db.submissions, db.surveys];
  await db.transaction('rw', tables, async () => {
    await db.mutations
      .where('status')
      .equals('failed')
      .modify({ ...again, status: 'waiting' });
    await requeueRejected(device);
    await requeueFailedPhotos(device);

    const submissions = await db.submissions.where('status').equals('failed').toArray();
    for (const submission of submissions) {
      await db.submissions.update(submission.surveyId, { ...again, status: 'waiting' });
      await db.surveys.update(submission.surveyId, { submitQueuedAt: submission.queuedAt });
    }
  });
  device.notifyLocalWrite();
}

/**
 * Puts back photos that ran out of retries. Photos the server refused for good were taken out
 * of their answer (detachFailedPhoto) and stay failed, because sending them again cannot help.
 */
async function requeueFailedPhotos(device: Device): Promise<void> {
  const { db } = device;
  const failed = await db.photos.where('status').equals('failed').toArray();
  for (const photo of failed) {
    const answer = await db.answers.get([photo.surveyId, photo.questionId]);
    const inAnswer = Array.isArray(answer?.value) && answer.value.includes(photo.id);
    if (!inAnswer) continue;

    await db.photos.update(photo.id, {
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
      status: 'waiting',
    });
  }
}

/**
 * The server stores the result of every mutation id and answers a repeat with that result, so
 * a rejected edit goes back in the queue under a new id, keeping its value and stamp.
 */
async function requeueRejected(device: Device): Promise<void> {
  const { db } = device;
  const rejected = await db.mutations.where('status').equals('rejected').toArray();
  for (const mutation of rejected) {
    await db.mutations.delete(mutation.id);
    await db.mutations.add({
      ...mutation,
      id: uuidv7(),
      status: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
    });
  }
}

/**
 * Makes every waiting row due now. Called when the browser regains the network: delays grown
 * while it was offline would otherwise hold the work back for minutes. Attempts stay counted.
 */
async function releaseBackoff(device: Device): Promise<void> {
  const { db } = device;
  await db.transaction('rw', [db.mutations, db.photos, db.submissions], async () => {
    await db.mutations.where('status').equals('waiting').modify({ nextAttemptAt: 0 });
    await db.photos.where('status').anyOf('waiting', 'uploading').modify({ nextAttemptAt: 0 });
    await db.submissions.where('status').equals('waiting').modify({ nextAttemptAt: 0 });
  });
}

/** Starts background sync; see the module comment. Returns the function that stops it. */
export function startBackgroundSync(device: Device): () => void {
  device.background?.stop();

  const socket = connectNotifications(device);
  let writeTimer: ReturnType<typeof setTimeout> | undefined;
  const run = () => void syncNow(device);
  const onOnline = () => {
    void releaseBackoff(device).finally(run);
    socket.reconnectNow();
  };
  const onOffline = () => {
    device.session.update({ online: false });
    device.sync.update({ phase: 'offline' });
  };
  const stopWrites = device.onLocalWrite(() => {
    clearTimeout(writeTimer);
    writeTimer = setTimeout(run, AFTER_WRITE_DELAY_MS);
    unrefTimer(writeTimer);
  });
  const interval = setInterval(run, PERIOD_MS);
  unrefTimer(interval);
  addWindowListener('online', onOnline);
  addWindowListener('offline', onOffline);

  const handle = {
    stop() {
      if (device.background === handle) device.background = null;
      clearTimeout(writeTimer);
      clearInterval(interval);
      stopWrites();
      removeWindowListener('online', onOnline);
      removeWindowListener('offline', onOffline);
      socket.stop();
    },
  };
  device.background = handle;

  void resumeInterruptedPhotos(device).finally(run);
  return () => handle.stop();
}

function addWindowListener(type: 'online' | 'offline', listener: () => void): void {
  if (typeof window !== 'undefined') window.addEventListener(type, listener);
}

function removeWindowListener(type: 'online' | 'offline', listener: () => void): void {
  if (typeof window !== 'undefined') window.removeEventListener(type, listener);
}
