import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { answer, answerEverything, assignSurvey } from '../support/survey-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

/** A survey assignment of the demo template at the first demo facility, with `override` applied. */
const assignment = (override: Record<string, unknown> = {}) => ({
  facilityId: t.demo.facilityIds[0],
  templateId: t.demo.templateId,
  inspectorId: t.demo.users.inspector.id,
  ...override,
});

const saveAnswers = (surveyId: string, answers: unknown[], token = t.tokens.inspector) =>
  t.request('PUT', `/v1/surveys/${surveyId}/answers`, { token, body: { answers } });

describe('survey assignment', () => {
  it('creates an assigned survey', async () => {
    const id = await assignSurvey(t);
    const survey = (
      await t.request('GET', `/v1/surveys/${id}`, { token: t.tokens.inspector })
    ).json();
    expect(survey.status).toBe('assigned');
  });

  it('is forbidden to inspectors', async () => {
    const response = await t.request('POST', '/v1/surveys', {
      token: t.tokens.inspector,
      body: assignment(),
    });
    expect(response.statusCode).toBe(403);
  });

  it.each([
    ['facility', { facilityId: '0190a4c2-0000-7000-8000-000000000000' }],
    ['template', { templateId: '0190a4c2-0000-7000-8000-000000000000' }],
    ['inspector', { inspectorId: '0190a4c2-0000-7000-8000-000000000000' }],
  ])('answers 404 for an unknown %s', async (_entity, override) => {
    const response = await t.request('POST', '/v1/surveys', {
      token: t.tokens.manager,
      body: assignment(override),
    });
    expect(response.statusCode).toBe(404);
  });

  it('rejects assigning a viewer with 409', async () => {
    const response = await t.request('POST', '/v1/surveys', {
      token: t.tokens.manager,
      body: assignment({ inspectorId: t.demo.users.viewer.id }),
    });
    expect(response.statusCode).toBe(409);
  });

  it.each([
    [{ templateId: 'abc' }, 'body.templateId'],
    [{ dueDate: '31/01/2030' }, 'body.dueDate'],
    [{ dueDate: '0000-01-01' }, 'body.dueDate'],
    [{ facilityId: 7 }, 'body.facilityId'],
  ])('rejects %j naming %s', async (override, field) => {
    const response = await t.request('POST', '/v1/surveys', {
      token: t.tokens.manager,
      body: assignment(override),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });
});

describe('answers', () => {
  it('are saved and move the survey to in progress', async () => {
    const id = await assignSurvey(t);
    const response = await saveAnswers(id, [
      answer('general_in_service', 'yes'),
      answer('general_report_internal_code', 'R-1', 'first visit'),
    ]);
    expect(response.statusCode).toBe(200);
    const survey = (
      await t.request('GET', `/v1/surveys/${id}`, { token: t.tokens.inspector })
    ).json();
    expect(survey.status).toBe('in_progress');
    expect(survey.answers).toHaveLength(2);
  });

  it('return the flags they raise', async () => {
    const id = await assignSurvey(t);
    const response = await saveAnswers(id, [answer('general_in_service', 'no')]);
    expect(response.json().flags[0].questionId).toBe('general_in_service');
  });

  it('keep an earlier note when saved without one', async () => {
    const id = await assignSurvey(t);
    await saveAnswers(id, [answer('general_report_internal_code', 'R-1', 'keep me')]);
    await saveAnswers(id, [answer('general_report_internal_code', 'R-2')]);
    const survey = (
      await t.request('GET', `/v1/surveys/${id}`, { token: t.tokens.inspector })
    ).json();
    expect(survey.answers[0].note).toBe('keep me');
  });

  it.each([
    ['a value of the wrong kind', [answer('general_in_service', 'maybe')], 'general_in_service'],
    ['an unknown question', [answer('no_such_question', 'yes')], 'no_such_question'],
    [
      'a photo id of no upload',
      [answer('intro_photo', ['0190a4c2-0000-7000-8000-000000000000'])],
      'intro_photo',
    ],
    ['an invalid date', [answer('extinguisher_last_date', '2026-02-30')], 'extinguisher_last_date'],
  ])('reject %s with 422 and save nothing', async (_case, answers, questionId) => {
    const id = await assignSurvey(t);
    const response = await saveAnswers(id, [
      answer('general_report_internal_code', 'R-9'),
      ...answers,
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json().details.questionId).toBe(questionId);
    const survey = (
      await t.request('GET', `/v1/surveys/${id}`, { token: t.tokens.inspector })
    ).json();
    expect(survey.answers).toHaveLength(0);
  });

  it('reject an empty batch with 400', async () => {
    const id = await assignSurvey(t);
    const response = await saveAnswers(id, []);
    expect(response.statusCode).toBe(400);
  });

  it('are forbidden to viewers', async () => {
    const id = await assignSurvey(t);
    const response = await saveAnswers(id, [answer('general_in_service', 'yes')], t.tokens.viewer);
    expect(response.statusCode).toBe(403);
  });

  it('answer 404 for a survey of another inspector', async () => {
    const created = await t.request('POST', '/v1/users', {
      token: t.tokens.admin,
      body: {
        email: 'second.inspector@northwind.example',
        name: 'Second',
        role: 'inspector',
        password: 'a-long-password',
      },
    });
    const login = await t.request('POST', '/v1/auth/login', {
      body: { email: 'second.inspector@northwind.example', password: 'a-long-password' },
    });
    expect(created.statusCode).toBe(201);
    const id = await assignSurvey(t);
    const response = await saveAnswers(
      id,
      [answer('general_in_service', 'yes')],
      login.json().accessToken,
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('submission', () => {
  it('rejects a survey with required questions unanswered', async () => {
    const id = await assignSurvey(t);
    await saveAnswers(id, [answer('general_in_service', 'yes')]);
    const response = await t.request('POST', `/v1/surveys/${id}/submit`, {
      token: t.tokens.inspector,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('SURVEY_INCOMPLETE');
  });

  it('scores a complete survey and stores its flags', async () => {
    const id = await assignSurvey(t);
    await answerEverything(t, id);
    const response = await t.request('POST', `/v1/surveys/${id}/submit`, {
      token: t.tokens.inspector,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().score).toBeLessThan(100);
    const survey = (
      await t.request('GET', `/v1/surveys/${id}`, { token: t.tokens.manager })
    ).json();
    expect(
      survey.findings.filter((f: { source: string }) => f.source === 'survey_rules'),
    ).toHaveLength(response.json().flagCount);
  });

  it('makes the survey immutable', async () => {
    const id = await assignSurvey(t);
    await answerEverything(t, id);
    await t.request('POST', `/v1/surveys/${id}/submit`, { token: t.tokens.inspector });
    const change = await saveAnswers(id, [answer('general_in_service', 'yes')]);
    expect(change.statusCode).toBe(409);
    const again = await t.request('POST', `/v1/surveys/${id}/submit`, {
      token: t.tokens.inspector,
    });
    expect(again.statusCode).toBe(409);
  });

  it('alerts managers of high-severity items', async () => {
    const id = await assignSurvey(t);
    await answerEverything(t, id);
    await t.request('POST', `/v1/surveys/${id}/submit`, { token: t.tokens.inspector });
    await t.drainBus();
    const rows = await t.running.platform.db
      .selectFrom('notifications')
      .select(['kind', 'user_id', 'title', 'body'])
      .where('kind', '=', 'item.flagged')
      .execute();
    expect(rows.map((row) => row.user_id)).toContain(t.demo.users.manager.id);
    // The title counts each severity on its own, and labels lose their end punctuation.
    expect(rows[0]?.title).toMatch(
      /^(\d+ critical( and \d+ high-severity)?|\d+ high-severity) items? at /,
    );
    expect(rows[0]?.body).not.toMatch(/[.?]:/);
  });
});

describe('review', () => {
  it('applies corrections and scores again', async () => {
    const id = await assignSurvey(t);
    await answerEverything(t, id);
    const submitted = (
      await t.request('POST', `/v1/surveys/${id}/submit`, { token: t.tokens.inspector })
    ).json();
    const response = await t.request('POST', `/v1/surveys/${id}/review`, {
      token: t.tokens.manager,
      body: {
        note: 'Valve sealed during visit',
        corrections: [answer('general_valves_sealed_open', 'yes')],
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().score).toBeGreaterThan(submitted.score);
  });

  it('is forbidden to inspectors', async () => {
    const id = await assignSurvey(t);
    const response = await t.request('POST', `/v1/surveys/${id}/review`, {
      token: t.tokens.inspector,
      body: {},
    });
    expect(response.statusCode).toBe(403);
  });

  it('needs a submitted survey', async () => {
    const id = await assignSurvey(t);
    const response = await t.request('POST', `/v1/surveys/${id}/review`, {
      token: t.tokens.manager,
      body: {},
    });
    expect(response.statusCode).toBe(409);
  });
});

describe('listing', () => {
  it('shows an inspector only their surveys', async () => {
    await assignSurvey(t);
    const mine = (await t.request('GET', '/v1/surveys', { token: t.tokens.inspector })).json();
    expect(
      mine.every(
        (s: { inspector: { id: string } }) => s.inspector.id === t.demo.users.inspector.id,
      ),
    ).toBe(true);
  });

  it('filters by status', async () => {
    const response = await t.request('GET', '/v1/surveys?status=submitted', {
      token: t.tokens.manager,
    });
    expect(response.json().every((s: { status: string }) => s.status === 'submitted')).toBe(true);
  });

  it('rejects an unknown status with 400', async () => {
    const response = await t.request('GET', '/v1/surveys?status=lost', { token: t.tokens.manager });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('querystring.status');
  });
});

describe('trace context', () => {
  it('follows a request into its events and their handlers', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const id = await assignSurvey(t);
    await answerEverything(t, id);
    await t.request('POST', `/v1/surveys/${id}/submit`, {
      token: t.tokens.inspector,
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    await t.drainBus();

    const events = await t.running.platform.db
      .selectFrom('outbox_events')
      .select(['topic', 'traceparent'])
      .where('topic', 'in', ['survey.submitted', 'report.generate'])
      .where(sql<boolean>`payload->>'surveyId' = ${id}`)
      .execute();
    expect(events.map((event) => event.topic).sort()).toEqual([
      'report.generate',
      'survey.submitted',
    ]);
    expect(events.every((event) => event.traceparent?.startsWith(`00-${traceId}-`))).toBe(true);
  });
});
