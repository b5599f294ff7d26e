import 'fake-indexeddb/auto';
import { formatHlc, type MutationResult, type SyncConflictView } from '@avior/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/data/device.ts';
import { retryFailed, setAnswer, startBackgroundSync, syncNow } from '../src/data/index.ts';
import { MAX_ATTEMPTS } from '../src/data/retry.ts';
import { createTestDevice } from './support/devices.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import {
  assignSurvey,
  createInspectorDevices,
  questionsOfType,
  startServer,
  storeSurvey,
  type RunningServer,
} from './support/server.ts';

let server: RunningServer;
const inspectorDevice = createInspectorDevices();
let proxy: FaultProxy;
let proxyUrl: string;
let textQuestions: string[];
let yesNoQuestion: string;

beforeAll(async () => {
  server = await startServer();
  proxy = new FaultProxy(server.baseUrl);
  proxyUrl = await proxy.start();
  textQuestions = await questionsOfType(server, 'text');
  yesNoQuestion = (await questionsOfType(server, 'yes_no_na'))[0] ?? '';
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

let device: Device;
let surveyId: string;

beforeEach(async () => {
  proxy.rules.length = 0;
  proxy.log.length = 0;
  proxy.beforeForward = null;
  device = await inspectorDevice({ baseUrl: proxyUrl, random: () => 0.5 });
  surveyId = await assignSurvey(server.t);
  await storeSurvey(server, device, surveyId);
});

async function serverValue(questionId: string) {
  const view = await server.t.request('GET', `/v1/surveys/${surveyId}`, {
    token: server.t.tokens.manager,
  });
  const answers = view.json<{ answers: { questionId: string; value: unknown }[] }>().answers;
  return answers.find((answer) => answer.questionId === questionId)?.value;
}

function pushResults(): MutationResult[][] {
  return proxy
    .requestsTo('POST', '/v1/sync/push')
    .filter((entry) => entry.status === 200)
    .map((entry) => (JSON.parse(entry.responseBody) as { results: MutationResult[] }).results);
}

function pushedIds(): string[][] {
  return proxy
    .requestsTo('POST', '/v1/sync/push')
    .map((entry) =>
      (
        JSON.parse(entry.requestBody) as { mutations: { clientMutationId: string }[] }
      ).mutations.map((mutation) => mutation.clientMutationId),
    );
}

describe('push results', () => {
  it('applied: deletes the mutation and cleans the answer', async () => {
    await setAnswer(surveyId, textQuestions[0] ?? '', 'Sprinkler valve sealed');
    await syncNow();

    expect(
      pushResults()
        .flat()
        .map((result) => result.status),
    ).toEqual(['applied']);
    expect(await device.db.mutations.count()).toBe(0);
    expect((await device.db.answers.get([surveyId, textQuestions[0] ?? '']))?.dirty).toBe(0);
    expect(await serverValue(textQuestions[0] ?? '')).toBe('Sprinkler valve sealed');
  });

  it('applied: keeps the answer dirty when a newer edit came during the push', async () => {
    const questionId = textQuestions[0] ?? '';
    await setAnswer(surveyId, questionId, 'first');
    proxy.beforeForward = async (method, path) => {
      if (method !== 'POST' || path !== '/v1/sync/push') return;
      proxy.beforeForward = null;
      await setAnswer(surveyId, questionId, 'second');
      // Holds the second push back, so the state between the two pushes stays visible.
      proxy.failNext('POST', '/v1/sync/push', 503);
    };
    await syncNow();

    const answer = await device.db.answers.get([surveyId, questionId]);
    const waiting = await device.db.mutations.toArray();
    expect(answer?.value).toBe('second');
    expect(answer?.dirty).toBe(1);
    expect(waiting.map((mutation) => mutation.value)).toEqual(['second']);
    expect(await serverValue(questionId)).toBe('first');
  });

  it('duplicate: deletes the mutation and cleans the answer', async () => {
    const questionId = textQuestions[1] ?? '';
    await setAnswer(surveyId, questionId, 'sent twice');
    const [mutation] = await device.db.mutations.toArray();
    proxy.replyNext('POST', '/v1/sync/push', 200, {
      results: [{ clientMutationId: mutation?.id, status: 'duplicate' }],
    });
    await syncNow();

    expect(await device.db.mutations.count()).toBe(0);
    expect((await device.db.answers.get([surveyId, questionId]))?.dirty).toBe(0);
  });

  it('a push whose response was lost is settled on the next try', async () => {
    const questionId = textQuestions[1] ?? '';
    await setAnswer(surveyId, questionId, 'Hydrant cap missing');
    proxy.loseNext('POST', '/v1/sync/push', 503);
    await syncNow();

    const [afterLoss] = await device.db.mutations.toArray();
    expect(afterLoss?.attempts).toBe(1);
    expect(afterLoss?.nextAttemptAt).toBeGreaterThan(Date.now());

    await device.db.mutations.update(afterLoss?.id ?? '', { nextAttemptAt: 0 });
    await syncNow();

    const [lost, repeated] = pushResults();
    expect(repeated?.[0]?.clientMutationId).toBe(lost?.[0]?.clientMutationId);
    expect(repeated?.[0]?.status).toBe('applied');
    expect(await device.db.mutations.count()).toBe(0);
    expect((await device.db.answers.get([surveyId, questionId]))?.dirty).toBe(0);
  });

  it('superseded: a later write elsewhere wins and the conflict comes down', async () => {
    const questionId = textQuestions[2] ?? '';
    await setAnswer(surveyId, questionId, 'from this device');
    const later = formatHlc({ wallMs: Date.now() + 60_000, counter: 0, node: 'web-other' });
    await server.t.request('POST', '/v1/sync/push', {
      token: server.t.tokens.inspector,
      body: {
        deviceId: 'web-other',
        mutations: [
          {
            clientMutationId: '0190f0a0-1111-7000-8000-000000000001',
            kind: 'answer.set',
            surveyId,
            questionId,
            value: 'from the other device',
            hlc: later,
          },
        ],
      },
    });
    await syncNow();

    const conflicts: SyncConflictView[] = await device.db.conflicts
      .where('surveyId')
      .equals(surveyId)
      .toArray();
    const answer = await device.db.answers.get([surveyId, questionId]);
    expect(
      pushResults()
        .flat()
        .map((result) => result.status),
    ).toEqual(['superseded']);
    expect(conflicts.map((conflict) => conflict.losing.value)).toEqual(['from this device']);
    expect(answer?.value).toBe('from the other device');
    expect(answer?.dirty).toBe(0);
    expect(await device.db.mutations.count()).toBe(0);
  });

  it('rejected: keeps the mutation with the server message', async () => {
    await device.db.templates.clear();
    await setAnswer(surveyId, yesNoQuestion, 'maybe');
    await syncNow();

    const [mutation] = await device.db.mutations.toArray();
    expect(mutation?.status).toBe('rejected');
    expect(mutation?.error).toMatch(/Invalid answer to question/);
    expect((await device.db.answers.get([surveyId, yesNoQuestion]))?.dirty).toBe(1);
  });

  it('rejects only the mutation a 400 names and applies the others', async () => {
    await device.db.templates.clear();
    await setAnswer(surveyId, textQuestions[0] ?? '', 'fine');
    await setAnswer(surveyId, textQuestions[1] ?? '', 'x'.repeat(10_001));
    await setAnswer(surveyId, textQuestions[2] ?? '', 'also fine');
    await syncNow();

    const left = await device.db.mutations.toArray();
    expect(left.map((mutation) => mutation.questionId)).toEqual([textQuestions[1]]);
    expect(left[0]?.status).toBe('rejected');
    expect(await serverValue(textQuestions[2] ?? '')).toBe('also fine');
  });
});

describe('push retries', () => {
  it('backs off a failed item without blocking a newer one', async () => {
    await setAnswer(surveyId, textQuestions[0] ?? '', 'first');
    const [failing] = await device.db.mutations.toArray();
    proxy.failNext('POST', '/v1/sync/push', 503);
    await syncNow();

    const afterFailure = await device.db.mutations.get(failing?.id ?? '');
    expect(afterFailure?.attempts).toBe(1);
    expect(afterFailure?.status).toBe('waiting');
    expect(afterFailure?.error).toMatch(/503/);

    await setAnswer(surveyId, textQuestions[1] ?? '', 'second');
    await syncNow();

    const sent = pushedIds();
    expect(sent).toHaveLength(2);
    expect(sent[1]).not.toContain(failing?.id);
    expect(await serverValue(textQuestions[1] ?? '')).toBe('second');
    expect((await device.db.mutations.get(failing?.id ?? ''))?.attempts).toBe(1);
  });

  it('moves an item to failed after the last attempt; retryFailed re-queues it', async () => {
    await setAnswer(surveyId, textQuestions[0] ?? '', 'stubborn');
    const [mutation] = await device.db.mutations.toArray();
    await device.db.mutations.update(mutation?.id ?? '', { attempts: MAX_ATTEMPTS - 1 });
    proxy.failNext('POST', '/v1/sync/push', 500);
    await syncNow();

    expect((await device.db.mutations.get(mutation?.id ?? ''))?.status).toBe('failed');

    await retryFailed();
    const requeued = await device.db.mutations.get(mutation?.id ?? '');
    expect(requeued).toMatchObject({ status: 'waiting', attempts: 0, nextAttemptAt: 0 });

    await syncNow();
    expect(await device.db.mutations.count()).toBe(0);
  });

  it('waits out Retry-After', async () => {
    await setAnswer(surveyId, textQuestions[0] ?? '', 'later');
    proxy.failNext('POST', '/v1/sync/push', 429);
    const before = Date.now();
    await syncNow();

    const [mutation] = await device.db.mutations.toArray();
    expect(mutation?.nextAttemptAt).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('ends the round offline when the server cannot be reached', async () => {
    await setAnswer(surveyId, textQuestions[0] ?? '', 'offline');
    const offline = createTestDevice({ baseUrl: 'http://127.0.0.1:9' });
    await offline.db.mutations.bulkPut(await device.db.mutations.toArray());
    offline.session.update({ status: 'signed_in', user: device.user });
    offline.api.accessToken = 'token';
    await syncNow();

    expect(offline.sync.get().phase).toBe('offline');
    expect(offline.session.get().online).toBe(false);
    expect((await offline.db.mutations.toArray())[0]?.attempts).toBe(1);
  });
});

describe('sync rounds', () => {
  it('never runs two rounds at once; calls during a round share one more', async () => {
    await setAnswer(surveyId, textQuestions[0] ?? '', 'once');
    await Promise.all([syncNow(), syncNow(), syncNow()]);

    expect(proxy.requestsTo('GET', '/v1/sync/pull')).toHaveLength(2);
    expect(proxy.requestsTo('POST', '/v1/sync/push')).toHaveLength(1);
  });

  it('background sync pushes shortly after a local write', async () => {
    const stop = startBackgroundSync();
    try {
      await setAnswer(surveyId, textQuestions[0] ?? '', 'in the background');
      const deadline = Date.now() + 10_000;
      while ((await device.db.mutations.count()) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      expect(await device.db.mutations.count()).toBe(0);
      expect(await serverValue(textQuestions[0] ?? '')).toBe('in the background');
    } finally {
      stop();
    }
  });
});
