import 'fake-indexeddb/auto';
import { formatHlc, parseHlc, type SyncPullResult } from '@avior/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/data/device.ts';
import { setAnswer } from '../src/data/index.ts';
import { readMeta } from '../src/data/local-data.ts';
import { pullChanges } from '../src/data/pull.ts';
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

beforeAll(async () => {
  server = await startServer();
  proxy = new FaultProxy(server.baseUrl);
  proxyUrl = await proxy.start();
  textQuestions = await questionsOfType(server, 'text');
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

let device: Device;
let surveyId: string;
let mutationCount = 0;

beforeEach(async () => {
  proxy.rules.length = 0;
  proxy.log.length = 0;
  device = await inspectorDevice({ baseUrl: proxyUrl, pullPageSize: 1 });
  surveyId = await assignSurvey(server.t);
  await storeSurvey(server, device, surveyId);
  // Start after everything earlier tests wrote, so each test pulls only its own changes.
  await device.db.meta.put({ key: 'pullCursor', value: await currentCursor() });
});

async function currentCursor(): Promise<string> {
  let cursor = '';
  for (;;) {
    const query = cursor ? `?limit=1000&cursor=${encodeURIComponent(cursor)}` : '?limit=1000';
    const page = (
      await server.t.request('GET', `/v1/sync/pull${query}`, { token: server.t.tokens.inspector })
    ).json<SyncPullResult>();
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

/** Pushes an edit as another device of the same inspector would. */
async function pushFromOtherDevice(questionId: string, value: string, offsetMs: number) {
  mutationCount += 1;
  const hlc = formatHlc({ wallMs: Date.now() + offsetMs, counter: 0, node: 'web-other' });
  const suffix = String(mutationCount).padStart(12, '0');
  const response = await server.t.request('POST', '/v1/sync/push', {
    token: server.t.tokens.inspector,
    body: {
      deviceId: 'web-other',
      mutations: [
        {
          clientMutationId: `0190f0a0-2222-7000-8000-${suffix}`,
          kind: 'answer.set',
          surveyId,
          questionId,
          value,
          hlc,
        },
      ],
    },
  });
  if (response.statusCode !== 200) throw new Error(`push failed: ${response.body}`);
  return hlc;
}

const localAnswer = (questionId: string) => device.db.answers.get([surveyId, questionId]);

describe('pullChanges', () => {
  it('does not let an older remote change overwrite a dirty local edit', async () => {
    const questionId = textQuestions[0] ?? '';
    await setAnswer(surveyId, questionId, 'local edit');
    await pushFromOtherDevice(questionId, 'older remote', -60_000);
    const outcome = await pullChanges(device);

    const answer = await localAnswer(questionId);
    expect(answer?.value).toBe('local edit');
    expect(answer?.dirty).toBe(1);
    expect(outcome.touchedDirty).toBe(true);
  });

  it('lets a later remote change replace a dirty local edit', async () => {
    const questionId = textQuestions[0] ?? '';
    await setAnswer(surveyId, questionId, 'local edit');
    const remote = await pushFromOtherDevice(questionId, 'later remote', 60_000);
    await pullChanges(device);

    const answer = await localAnswer(questionId);
    expect(answer?.value).toBe('later remote');
    expect(answer?.hlc).toBe(remote);
    expect(answer?.dirty).toBe(0);
    expect(await device.db.mutations.count()).toBe(1);
  });

  it('replaces a clean answer with any remote change', async () => {
    const questionId = textQuestions[1] ?? '';
    await device.db.answers.put({
      surveyId,
      questionId,
      value: 'clean',
      note: null,
      hlc: formatHlc({ wallMs: Date.now() + 3_600_000, counter: 0, node: 'server' }),
      updatedAt: new Date().toISOString(),
      dirty: 0,
    });
    await pushFromOtherDevice(questionId, 'remote', -60_000);
    await pullChanges(device);

    expect((await localAnswer(questionId))?.value).toBe('remote');
  });

  it('skips changes of surveys that are not on the device', async () => {
    await device.db.surveys.delete(surveyId);
    await pushFromOtherDevice(textQuestions[0] ?? '', 'elsewhere', 0);
    await pullChanges(device);

    expect(await device.db.answers.count()).toBe(0);
  });

  it('stores each page cursor with its changes and resumes after a cut', async () => {
    await pushFromOtherDevice(textQuestions[0] ?? '', 'page one', 0);
    await pushFromOtherDevice(textQuestions[1] ?? '', 'page two', 0);
    // The first page goes through and arms a failure for the second.
    proxy.beforeForward = (method, path) => {
      if (method === 'GET' && path === '/v1/sync/pull') proxy.failNext('GET', '/v1/sync/pull');
      return Promise.resolve();
    };
    await expect(pullChanges(device)).rejects.toThrow(/503/);
    proxy.beforeForward = null;

    const served = proxy.requestsTo('GET', '/v1/sync/pull').filter((entry) => entry.status === 200);
    const pageOne = JSON.parse(served[0]?.responseBody ?? '{}') as SyncPullResult;
    expect(await readMeta(device.db, 'pullCursor')).toBe(pageOne.cursor);
    expect((await localAnswer(textQuestions[0] ?? ''))?.value).toBe('page one');
    expect(await localAnswer(textQuestions[1] ?? '')).toBeUndefined();

    await pullChanges(device);
    expect((await localAnswer(textQuestions[1] ?? ''))?.value).toBe('page two');
  });

  it('merges remote stamps into the device clock', async () => {
    const remote = await pushFromOtherDevice(textQuestions[2] ?? '', 'from the future', 300_000);
    await pullChanges(device);
    await setAnswer(surveyId, textQuestions[3] ?? '', 'after the pull');

    const local = await localAnswer(textQuestions[3] ?? '');
    expect(parseHlc(local?.hlc ?? '').wallMs).toBeGreaterThanOrEqual(parseHlc(remote).wallMs);
    expect((local?.hlc ?? '') > remote).toBe(true);
  });
});
