import { randomUUID } from 'node:crypto';
import type { MutationResult, SyncChange, SyncConflictView } from '@avior/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, parseHlc } from '@avior/contract';
import { answer, assignSurvey, loadTemplate } from '../support/survey-helpers.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let textQuestions: string[];
beforeAll(async () => {
  t = await startTestApp();
  const template = await loadTemplate(t);
  textQuestions = template.definition.sections
    .flatMap((section) => section.questions)
    .filter((question) => question.type === 'text')
    .map((question) => question.id);
});
afterAll(async () => t?.stop());

const DAY = 24 * 60 * 60 * 1000;
const stamp = (offsetMs: number, node: string, counter = 0) =>
  formatHlc({ wallMs: Date.now() + offsetMs, counter, node });

function mutation(surveyId: string, questionId: string, value: unknown, hlc: string) {
  return { clientMutationId: randomUUID(), kind: 'answer.set', surveyId, questionId, value, hlc };
}

const push = (deviceId: string, mutations: unknown[], token = t.tokens.inspector) =>
  t.request('POST', '/v1/sync/push', { token, body: { deviceId, mutations } });

async function pushOk(deviceId: string, mutations: unknown[], token = t.tokens.inspector) {
  const response = await push(deviceId, mutations, token);
  if (response.statusCode !== 200) throw new Error(`push failed: ${response.body}`);
  return response.json<{ results: MutationResult[] }>().results;
}

async function storedAnswer(surveyId: string, questionId: string) {
  const survey = await t.request('GET', `/v1/surveys/${surveyId}`, { token: t.tokens.manager });
  const answers = survey.json<{ answers: { questionId: string; value: unknown }[] }>().answers;
  return answers.find((row) => row.questionId === questionId)?.value;
}

async function pullAll(token = t.tokens.inspector, limit = 5) {
  const changes: SyncChange[] = [];
  let cursor = '';
  for (;;) {
    const response = await t.request('GET', `/v1/sync/pull?cursor=${cursor}&limit=${limit}`, {
      token,
    });
    if (response.statusCode !== 200) throw new Error(`pull failed: ${response.body}`);
    const page = response.json<{ changes: SyncChange[]; cursor: string; hasMore: boolean }>();
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

const conflictsOf = async (surveyId: string, token = t.tokens.manager) =>
  (await t.request('GET', `/v1/sync/conflicts?surveyId=${surveyId}`, { token })).json<
    SyncConflictView[]
  >();

/** Makes phone-b's 'winner' beat phone-a's 'loser' on a question and returns the conflict. */
async function conflictOn(surveyId: string, questionId = textQuestions[0] ?? '') {
  await pushOk('phone-b', [mutation(surveyId, questionId, 'winner', stamp(-1_000, 'phone-b'))]);
  const [result] = await pushOk('phone-a', [
    mutation(surveyId, questionId, 'loser', stamp(-2_000, 'phone-a')),
  ]);
  const conflict = (await conflictsOf(surveyId)).find((row) => row.id === result?.conflictId);
  if (!conflict) throw new Error('no conflict recorded');
  return conflict;
}

const resolve = (id: string, body: unknown, token = t.tokens.manager) =>
  t.request('POST', `/v1/sync/conflicts/${id}/resolve`, { token, body });

const storedHlc = async (surveyId: string, questionId: string) => {
  const result = await sql<{ hlc: string }>`
    SELECT hlc FROM answer_clocks WHERE survey_id = ${surveyId} AND question_id = ${questionId}
  `.execute(t.running.platform.db);
  return result.rows[0]?.hlc ?? '';
};

const setStatus = (surveyId: string, status: 'submitted') =>
  t.running.platform.db.updateTable('surveys').set({ status }).where('id', '=', surveyId).execute();

const tableCount = async (table: string) => {
  const result = await sql<{
    count: number;
  }>`SELECT count(*)::int AS count FROM ${sql.table(table)}`.execute(t.running.platform.db);
  return result.rows[0]?.count;
};

describe('sync push', () => {
  it('applies an answer', async () => {
    const surveyId = await assignSurvey(t);
    const [result] = await pushOk('phone-a', [
      mutation(surveyId, textQuestions[0] ?? '', 'pushed offline', stamp(0, 'phone-a')),
    ]);
    expect(result?.status).toBe('applied');
    expect(await storedAnswer(surveyId, textQuestions[0] ?? '')).toBe('pushed offline');
  });

  it('returns identical results for a repeated batch', async () => {
    const surveyId = await assignSurvey(t);
    const batch = [
      mutation(surveyId, textQuestions[0] ?? '', 'first', stamp(0, 'phone-a')),
      mutation(surveyId, 'no_such_question', 'x', stamp(0, 'phone-a', 1)),
    ];
    const first = await pushOk('phone-a', batch);
    const changesBefore = await tableCount('sync_changes');
    const second = await pushOk('phone-a', batch);
    expect(second).toEqual(first);
    expect(await tableCount('sync_changes')).toBe(changesBefore);
  });

  it('rejects a reused id carrying another change', async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    const first = mutation(surveyId, questionId, 'first', stamp(-3_000, 'phone-a'));
    await pushOk('phone-a', [first]);
    const [result] = await pushOk('phone-a', [{ ...first, value: 'second' }]);

    expect(result?.status).toBe('rejected');
    expect(result?.code).toBe('MUTATION_ID_REUSED');
    expect(result?.message).toContain(first.clientMutationId);
    expect(await storedAnswer(surveyId, questionId)).toBe('first');
  });

  it('marks a repeated id within a batch duplicate', async () => {
    const surveyId = await assignSurvey(t);
    const once = mutation(surveyId, textQuestions[0] ?? '', 'once', stamp(0, 'phone-a'));
    const results = await pushOk('phone-a', [once, once]);
    expect(results.map((result) => result.status)).toEqual(['applied', 'duplicate']);
  });

  it('rejects a repeated id with another change in one batch', async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    const once = mutation(surveyId, questionId, 'once', stamp(0, 'phone-a'));
    const results = await pushOk('phone-a', [once, { ...once, value: 'other' }]);

    expect(results.map((result) => result.status)).toEqual(['applied', 'rejected']);
    expect(results[1]?.code).toBe('MUTATION_ID_REUSED');
    expect(results[1]?.clientMutationId).toBe(once.clientMutationId);
    expect(await storedAnswer(surveyId, questionId)).toBe('once');
  });

  it("records no conflict for one device's own edits", async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    const [first] = await pushOk('d1', [mutation(surveyId, questionId, 'v1', stamp(-2_000, 'd1'))]);
    const [second] = await pushOk('d1', [
      mutation(surveyId, questionId, 'v2', stamp(-2_000, 'd1', 1)),
    ]);
    const [late] = await pushOk('d1', [mutation(surveyId, questionId, 'v0', stamp(-3_000, 'd1'))]);

    expect(first?.status).toBe('applied');
    expect(second?.status).toBe('applied');
    expect(second?.conflictId).toBeUndefined();
    expect(late?.status).toBe('superseded');
    expect(late?.conflictId).toBeUndefined();
    expect(await conflictsOf(surveyId)).toEqual([]);
    expect(await storedAnswer(surveyId, questionId)).toBe('v2');
  });

  it('records a conflict between the answers route and a device', async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    await t.request('PUT', `/v1/surveys/${surveyId}/answers`, {
      token: t.tokens.inspector,
      body: { answers: [answer(questionId, 'from the web')] },
    });
    const [result] = await pushOk('d1', [
      mutation(surveyId, questionId, 'from d1', stamp(1_000, 'd1')),
    ]);

    expect(result?.status).toBe('applied');
    expect(result?.conflictId).toBeDefined();
    const [conflict] = await conflictsOf(surveyId);
    expect(conflict?.losing.value).toBe('from the web');
    expect(conflict?.losingDeviceId).toBeNull();
  });

  it('keeps the later HLC and records the other value', async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    const later = mutation(surveyId, questionId, 'from B', stamp(-1_000, 'phone-b'));
    const earlier = mutation(surveyId, questionId, 'from A', stamp(-2_000, 'phone-a'));
    await pushOk('phone-b', [later]);
    const [result] = await pushOk('phone-a', [earlier]);

    expect(result?.status).toBe('superseded');
    expect(await storedAnswer(surveyId, questionId)).toBe('from B');
    const [conflict] = await conflictsOf(surveyId);
    expect(conflict?.losing.value).toBe('from A');
    expect(conflict?.winning.value).toBe('from B');
    expect(conflict?.losingDeviceId).toBe('phone-a');
  });

  it("drops the overwritten side's note with its value", async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    await pushOk('phone-a', [
      { ...mutation(surveyId, questionId, 'blocked', stamp(-5_000, 'phone-a')), note: 'pallets' },
    ]);
    await pushOk('phone-b', [mutation(surveyId, questionId, 'clear', stamp(-1_000, 'phone-b'))]);

    const survey = await t.request('GET', `/v1/surveys/${surveyId}`, { token: t.tokens.manager });
    const answer = survey.json().answers.find((a: any) => a.questionId === questionId);
    expect(answer.value).toBe('clear');
    expect(answer.note).toBeNull();
    const [conflict] = await conflictsOf(surveyId);
    expect(conflict?.losing.note).toBe('pallets');
  });

  it('applies a batch across surveys and reports in sent order', async () => {
    const first = await assignSurvey(t);
    const second = await assignSurvey(t);
    const [a, b] = [first, second].sort().reverse() as [string, string];
    const batch = [
      mutation(a, textQuestions[1] ?? '', 'one', stamp(-900, 'phone-a')),
      mutation(b, textQuestions[0] ?? '', 'two', stamp(-800, 'phone-a')),
      mutation(a, textQuestions[0] ?? '', 'three', stamp(-700, 'phone-a')),
    ];
    const results = await pushOk('phone-a', batch);

    expect(results.map((r: any) => r.clientMutationId)).toEqual(
      batch.map((m) => m.clientMutationId),
    );
    expect(results.map((r: any) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await storedAnswer(b, textQuestions[0] ?? '')).toBe('two');
    expect(await storedAnswer(a, textQuestions[0] ?? '')).toBe('three');
  });

  it('overwrites an older HLC and records the overwritten value', async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[0] ?? '';
    await pushOk('phone-a', [mutation(surveyId, questionId, 'old', stamp(-5_000, 'phone-a'))]);
    const [result] = await pushOk('phone-b', [
      mutation(surveyId, questionId, 'new', stamp(-1_000, 'phone-b')),
    ]);

    expect(result?.status).toBe('applied');
    expect(await storedAnswer(surveyId, questionId)).toBe('new');
    const [conflict] = await conflictsOf(surveyId);
    expect(conflict?.losing.value).toBe('old');
  });

  it('rejects an edit to a submitted survey per mutation', async () => {
    const open = await assignSurvey(t);
    const submitted = await assignSurvey(t);
    await t.running.platform.db
      .updateTable('surveys')
      .set({ status: 'submitted' })
      .where('id', '=', submitted)
      .execute();
    const results = await pushOk('phone-a', [
      mutation(submitted, textQuestions[0] ?? '', 'late', stamp(0, 'phone-a')),
      mutation(open, textQuestions[0] ?? '', 'fine', stamp(0, 'phone-a', 1)),
    ]);

    expect(results[0]?.status).toBe('rejected');
    expect(results[0]?.code).toBe('INVALID_STATE');
    expect(results[1]?.status).toBe('applied');
  });

  it.each([
    ['an unknown question', 'no_such_question', 'x', 'ANSWER_INVALID'],
    ['an invalid value', 'text', 12345, 'ANSWER_INVALID'],
  ])('rejects %s per mutation', async (_case, question, value, code) => {
    const surveyId = await assignSurvey(t);
    const questionId = question === 'text' ? (textQuestions[0] ?? '') : question;
    const [result] = await pushOk('phone-a', [
      mutation(surveyId, questionId, value, stamp(0, 'a')),
    ]);
    expect(result?.code).toBe(code);
  });

  it('never resurrects a survey the server does not have', async () => {
    const [result] = await pushOk('phone-a', [
      mutation(randomUUID(), textQuestions[0] ?? '', 'ghost', stamp(0, 'phone-a')),
    ]);
    expect(result?.code).toBe('NOT_FOUND');
  });

  it("rejects another organisation's survey as not found", async () => {
    const foreign = await assignSurvey(t, t.otherTokens, t.other);
    const [result] = await pushOk('phone-a', [
      mutation(foreign, textQuestions[0] ?? '', 'intrusion', stamp(0, 'phone-a')),
    ]);
    expect(result?.code).toBe('NOT_FOUND');
  });

  it('is forbidden to viewers', async () => {
    const surveyId = await assignSurvey(t);
    const response = await push(
      'phone-a',
      [mutation(surveyId, textQuestions[0] ?? '', 'x', stamp(0, 'a'))],
      t.tokens.viewer,
    );
    expect(response.statusCode).toBe(403);
  });
});

describe('sync push validation', () => {
  const valid = () => mutation(randomUUID(), 'q', 'x', stamp(0, 'phone-a'));
  it.each([
    [
      'hlc too far ahead',
      { mutations: [{ ...valid(), hlc: stamp(2 * DAY, 'a') }] },
      'mutations[0].hlc',
    ],
    ['malformed hlc', { mutations: [{ ...valid(), hlc: '12-0-a' }] }, 'mutations[0].hlc'],
    [
      'bad mutation id',
      { mutations: [{ ...valid(), clientMutationId: 'abc' }] },
      'clientMutationId',
    ],
    ['unknown kind', { mutations: [{ ...valid(), kind: 'answer.delete' }] }, 'kind'],
    ['extra field', { mutations: [{ ...valid(), extra: 1 }] }, 'mutations[0]'],
    ['empty batch', { mutations: [] }, 'mutations'],
    ['missing device', { deviceId: undefined, mutations: [valid()] }, 'deviceId'],
    ['too many mutations', { mutations: Array.from({ length: 501 }, valid) }, 'mutations'],
  ])('answers 400 for %s naming the field', async (_case, override, field) => {
    const response = await t.request('POST', '/v1/sync/push', {
      token: t.tokens.inspector,
      body: { deviceId: 'phone-a', ...override },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });
});

describe('sync pull', () => {
  it('returns every change to a device whose clock is days behind', async () => {
    const surveyId = await assignSurvey(t);
    const questionId = textQuestions[1] ?? '';
    await pushOk('slow-phone', [
      mutation(surveyId, questionId, 'stale clock', stamp(-3 * DAY, 'slow-phone')),
    ]);
    await t.request('PUT', `/v1/surveys/${surveyId}/answers`, {
      token: t.tokens.inspector,
      body: { answers: [answer(textQuestions[2] ?? '', 'from the web')] },
    });
    // A change shows once every older transaction on the server has ended, which on a shared
    // PostgreSQL server can take a moment.
    const valuesOfSurvey = async () => {
      const { changes } = await pullAll();
      return changes.filter((change) => change.surveyId === surveyId).map((c) => c.value);
    };
    await expect.poll(valuesOfSurvey, { timeout: 10_000 }).toEqual(['stale clock', 'from the web']);
  });

  it('returns nothing new after the last cursor', async () => {
    const { cursor } = await pullAll();
    const response = await t.request('GET', `/v1/sync/pull?cursor=${cursor}`, {
      token: t.tokens.inspector,
    });
    expect(response.json<{ changes: unknown[] }>().changes).toEqual([]);
  });

  it("never returns another organisation's changes", async () => {
    const foreign = await assignSurvey(t, t.otherTokens, t.other);
    await pushOk(
      'other-phone',
      [mutation(foreign, textQuestions[0] ?? '', 'elsewhere', stamp(0, 'other-phone'))],
      t.otherTokens.inspector,
    );
    const { changes } = await pullAll(t.tokens.manager, 500);
    expect(changes.some((change) => change.surveyId === foreign)).toBe(false);
  });

  it.each([
    ['cursor=garbage', 'cursor'],
    ['limit=0', 'limit'],
    ['limit=5000', 'limit'],
    ['since=1', 'since'],
  ])('answers 400 for %s naming the field', async (query, field) => {
    const response = await t.request('GET', `/v1/sync/pull?${query}`, {
      token: t.tokens.inspector,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });
});

describe('sync conflicts', () => {
  it('applies the losing side on resolve', async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    const response = await resolve(conflict.id, { choose: 'losing' });
    expect(response.statusCode).toBe(200);
    expect(await storedAnswer(surveyId, conflict.questionId)).toBe('loser');
  });

  it('marks a conflict resolved', async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    await resolve(conflict.id, { choose: 'value', value: 'merged' }, t.tokens.inspector);
    const [after] = await conflictsOf(surveyId);
    expect(after?.resolvedBy).toBe(t.demo.users.inspector.id);
    expect(await storedAnswer(surveyId, conflict.questionId)).toBe('merged');
  });

  it('publishes the resolution to devices', async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    const { cursor } = await pullAll();
    await resolve(conflict.id, { choose: 'losing' });
    const firstChange = async () => {
      const response = await t.request('GET', `/v1/sync/pull?cursor=${cursor}`, {
        token: t.tokens.inspector,
      });
      return response.json<{ changes: SyncChange[] }>().changes[0];
    };
    await expect.poll(firstChange, { timeout: 10_000 }).toBeDefined();
    const change = await firstChange();
    expect(change?.value).toBe('loser');
    expect(compareHlc(change?.hlc ?? '', conflict.winningHlc)).toBeGreaterThan(0);
  });

  it('resolves choose winning on a submitted survey without writing', async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    await setStatus(surveyId, 'submitted');
    const hlcBefore = await storedHlc(surveyId, conflict.questionId);
    const response = await resolve(conflict.id, { choose: 'winning' });

    expect(response.statusCode).toBe(200);
    expect(response.json<SyncConflictView>().resolvedAt).not.toBeNull();
    expect(response.json<SyncConflictView>().resolvedBy).toBe(t.demo.users.manager.id);
    expect(await storedAnswer(surveyId, conflict.questionId)).toBe('winner');
    expect(await storedHlc(surveyId, conflict.questionId)).toBe(hlcBefore);
  });

  it.each([
    ['losing', { choose: 'losing' }],
    ['value', { choose: 'value', value: 'merged' }],
  ])('answers 409 for choose %s on a submitted survey', async (_case, body) => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    await setStatus(surveyId, 'submitted');
    const response = await resolve(conflict.id, body);

    expect(response.statusCode).toBe(409);
    expect(response.json<{ code: string }>().code).toBe('INVALID_STATE');
    expect(response.json<{ message: string }>().message).toContain('review');
    const [after] = await conflictsOf(surveyId);
    expect(after?.resolvedAt).toBeNull();
    expect(await storedAnswer(surveyId, conflict.questionId)).toBe('winner');
  });

  it('lists only open conflicts with open=true', async () => {
    const surveyId = await assignSurvey(t);
    const settled = await conflictOn(surveyId, textQuestions[0]);
    const open = await conflictOn(surveyId, textQuestions[1]);
    await resolve(settled.id, { choose: 'winning' });
    const response = await t.request('GET', `/v1/sync/conflicts?surveyId=${surveyId}&open=true`, {
      token: t.tokens.manager,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json<SyncConflictView[]>().map((row) => row.id)).toEqual([open.id]);
    expect((await conflictsOf(surveyId)).length).toBe(2);
  });

  it('lists newest first and pages with before', async () => {
    const surveyId = await assignSurvey(t);
    const conflicts = [];
    for (const questionId of textQuestions.slice(0, 3))
      conflicts.push(await conflictOn(surveyId, questionId));
    const [oldest, middle, newest] = conflicts.map((conflict) => conflict.id);
    const list = async (query: string) =>
      (
        await t.request('GET', `/v1/sync/conflicts?surveyId=${surveyId}&${query}`, {
          token: t.tokens.manager,
        })
      ).json<SyncConflictView[]>();

    expect((await list('limit=2')).map((row) => row.id)).toEqual([newest, middle]);
    expect((await list(`limit=2&before=${middle}`)).map((row) => row.id)).toEqual([oldest]);
    expect(await list(`before=${oldest}`)).toEqual([]);
  });

  it('answers 409 for a conflict already resolved', async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    await resolve(conflict.id, { choose: 'winning' });
    expect((await resolve(conflict.id, { choose: 'winning' })).statusCode).toBe(409);
  });

  it.each([
    ['value without a value', { choose: 'value' }, 'body.value'],
    ['winning with a value', { choose: 'winning', value: 'x' }, 'body.value'],
    ['unknown choice', { choose: 'both' }, 'choose'],
  ])('answers 400 for %s', async (_case, body, field) => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    const response = await resolve(conflict.id, body);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });

  it.each([
    ['POST', '/v1/sync/conflicts/not-a-uuid/resolve', 'params.id'],
    ['GET', '/v1/sync/conflicts?surveyId=not-a-uuid', 'querystring.surveyId'],
    ['GET', '/v1/sync/conflicts?open=maybe', 'querystring.open'],
    ['GET', '/v1/sync/conflicts?limit=0', 'querystring.limit'],
    ['GET', '/v1/sync/conflicts?limit=1001', 'querystring.limit'],
    ['GET', '/v1/sync/conflicts?before=not-a-uuid', 'querystring.before'],
    ['GET', `/v1/sync/conflicts?before=${randomUUID()}`, 'querystring.before'],
  ])('answers 400 for %s %s', async (method, url, field) => {
    const response = await t.request(method, url, {
      token: t.tokens.manager,
      ...(method === 'POST' ? { body: { choose: 'winning' } } : {}),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });

  it('is forbidden to viewers', async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    expect((await resolve(conflict.id, { choose: 'winning' }, t.tokens.viewer)).statusCode).toBe(
      403,
    );
  });

  it("answers 404 for another organisation's conflict", async () => {
    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    const response = await resolve(conflict.id, { choose: 'winning' }, t.otherTokens.manager);
    expect(response.statusCode).toBe(404);
  });

  it("answers 404 listing another organisation's survey", async () => {
    const surveyId = await assignSurvey(t);
    const response = await t.request('GET', `/v1/sync/conflicts?surveyId=${surveyId}`, {
      token: t.otherTokens.manager,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('sync push concurrency', () => {
  it('survives crossing batches reusing ids', async () => {
    const surveys = [await assignSurvey(t), await assignSurvey(t)].sort();
    const [first, second] = surveys as [string, string];
    const questionId = textQuestions[0] ?? '';
    for (let round = 0; round < 6; round += 1) {
      const [a, b] = [randomUUID(), randomUUID()].sort() as [string, string];
      const hlc = stamp(-10_000 + round * 100, 'phone-x');
      const crossing = [
        [
          { ...mutation(first, questionId, 'x', hlc), clientMutationId: a },
          { ...mutation(second, questionId, 'x', hlc), clientMutationId: b },
        ],
        [
          { ...mutation(first, questionId, 'y', hlc), clientMutationId: b },
          { ...mutation(second, questionId, 'y', hlc), clientMutationId: a },
        ],
      ];
      const responses = await Promise.all(crossing.map((batch) => push('phone-x', batch)));

      expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
    }
  });
});

// These tests watch the server clock, so they run last: a stamp merged here moves it for
// every later resolution in this file.
describe('sync clock', () => {
  const MINUTE = 60_000;

  it('rejects a stamp an hour ahead', async () => {
    const surveyId = await assignSurvey(t);
    const response = await push('phone-a', [
      mutation(surveyId, textQuestions[0] ?? '', 'x', stamp(60 * MINUTE, 'phone-a')),
    ]);

    expect(response.statusCode).toBe(400);
    const body = response.json<{ code: string; details: { problems: { field: string }[] } }>();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.problems[0]?.field).toBe('body.mutations[0].hlc');
  });

  it('ignores the stamps of rejected mutations', async () => {
    const ahead = stamp(9 * MINUTE, 'intruder');
    const foreign = await assignSurvey(t, t.otherTokens, t.other);
    const rejected = await pushOk('intruder', [
      mutation(randomUUID(), textQuestions[0] ?? '', 'ghost', ahead),
      mutation(foreign, textQuestions[0] ?? '', 'intrusion', stamp(9 * MINUTE, 'intruder', 1)),
    ]);
    expect(rejected.map((result) => result.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    await resolve(conflict.id, { choose: 'losing' });
    const resolution = parseHlc(await storedHlc(surveyId, conflict.questionId));
    expect(resolution.wallMs).toBeLessThan(Date.now() + MINUTE);
  });

  it('merges the stamps of applied mutations', async () => {
    const ahead = stamp(5 * MINUTE, 'phone-a');
    const [applied] = await pushOk('phone-a', [
      mutation(await assignSurvey(t), textQuestions[0] ?? '', 'early', ahead),
    ]);
    expect(applied?.status).toBe('applied');

    const surveyId = await assignSurvey(t);
    const conflict = await conflictOn(surveyId);
    await resolve(conflict.id, { choose: 'losing' });
    expect(compareHlc(await storedHlc(surveyId, conflict.questionId), ahead)).toBeGreaterThan(0);
  });
});
