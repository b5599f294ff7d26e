import 'fake-indexeddb/auto';
import { formatHlc, type SyncConflictView } from '@avior/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchConflicts } from '../src/data/conflicts.ts';
import type { Device } from '../src/data/device.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import {
  assignSurvey,
  createInspectorDevices,
  questionsOfType,
  startServer,
  type RunningServer,
} from './support/server.ts';

let server: RunningServer;
let proxy: FaultProxy;
let proxyUrl: string;
let textQuestions: string[];
const inspectorDevice = createInspectorDevices();
let device: Device;

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

beforeEach(async () => {
  proxy.rules.length = 0;
  proxy.log.length = 0;
  device = await inspectorDevice({ baseUrl: proxyUrl });
});

/** Makes a conflict on the server: one device's value overwritten by a later one; returns it. */
async function makeConflict(surveyId: string, questionId: string): Promise<SyncConflictView> {
  const push = (node: string, value: string, wallMs: number) =>
    server.t.request('POST', '/v1/sync/push', {
      token: server.t.tokens.inspector,
      body: {
        deviceId: node,
        mutations: [
          {
            clientMutationId: crypto.randomUUID(),
            kind: 'answer.set',
            surveyId,
            questionId,
            value,
            hlc: formatHlc({ wallMs, counter: 0, node }),
          },
        ],
      },
    });
  await push('web-first', 'first value', Date.now());
  await push('web-second', 'second value', Date.now() + 60_000);

  const listed = await server.t.request('GET', `/v1/sync/conflicts?surveyId=${surveyId}`, {
    token: server.t.tokens.inspector,
  });
  const conflict = listed
    .json<SyncConflictView[]>()
    .find((candidate) => candidate.questionId === questionId);
  if (!conflict) throw new Error(`no conflict was recorded: ${listed.body}`);
  return conflict;
}

async function resolveOnServer(conflictId: string): Promise<void> {
  const response = await server.t.request('POST', `/v1/sync/conflicts/${conflictId}/resolve`, {
    token: server.t.tokens.inspector,
    body: { choose: 'winning' },
  });
  if (response.statusCode !== 200) throw new Error(`resolving failed: ${response.body}`);
}

describe('fetchConflicts', () => {
  let open: SyncConflictView;
  let resolved: SyncConflictView;

  beforeAll(async () => {
    const surveyId = await assignSurvey(server.t);
    open = await makeConflict(surveyId, textQuestions[0] ?? '');
    resolved = await makeConflict(surveyId, textQuestions[1] ?? '');
    await resolveOnServer(resolved.id);
  });

  it('keeps only open conflicts, dropping resolved ones', async () => {
    // The device still holds the conflict as it was before it was resolved elsewhere.
    await device.db.conflicts.put(resolved);
    await fetchConflicts(device);

    const ids = (await device.db.conflicts.toArray()).map((conflict) => conflict.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(resolved.id);
  });

  it('asks the server for open conflicts only', async () => {
    await fetchConflicts(device);

    const first = proxy.requestsTo('GET', '/v1/sync/conflicts')[0];
    expect(first?.query).toBe('open=true');
  });

  it('filters on the device when the server rejects the open parameter', async () => {
    proxy.replyNext('GET', '/v1/sync/conflicts', 400, {
      code: 'VALIDATION_FAILED',
      message: 'querystring.open is not an accepted field',
      details: { problems: [{ field: 'querystring.open', problem: 'is not an accepted field' }] },
    });
    await device.db.conflicts.put(resolved);
    await fetchConflicts(device);

    const ids = (await device.db.conflicts.toArray()).map((conflict) => conflict.id);
    expect(proxy.requestsTo('GET', '/v1/sync/conflicts')).toHaveLength(2);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(resolved.id);
  });

  it('reports another 400 instead of falling back', async () => {
    proxy.replyNext('GET', '/v1/sync/conflicts', 400, {
      code: 'VALIDATION_FAILED',
      message: 'querystring.surveyId must match format uuid',
      details: null,
    });

    await expect(fetchConflicts(device)).rejects.toMatchObject({ status: 400 });
    expect(proxy.requestsTo('GET', '/v1/sync/conflicts')).toHaveLength(1);
  });
});
