import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { answerEverything, assignSurvey } from '../support/survey-helpers.ts';
import { pathOf, readPhoto } from '../media/media.helpers.ts';

/**
 * One organisation's facility, survey, photo and report, probed with the tokens of another
 * organisation's admin: every read answers 404 and every change is refused without effect.
 */
let t: TestApp;
let ids: { facility: string; survey: string; media: string; report: string };

beforeAll(async () => {
  t = await startTestApp();
  const survey = await assignSurvey(t);
  const ticket = await t.request('POST', `/v1/surveys/${survey}/media/uploads`, {
    token: t.tokens.inspector,
    body: {
      fileName: 'sprinkler.jpg',
      contentType: 'image/jpeg',
      byteSize: 439_253,
      questionId: 'intro_photo',
    },
  });
  const { media, upload } = ticket.json<{ media: { id: string }; upload: { url: string } }>();
  await t.request('PUT', pathOf(upload.url), {
    body: await readPhoto('fire_sprinkler_head_closeup.jpg'),
    headers: { 'content-type': 'image/jpeg' },
  });
  await t.drainBus();
  await answerEverything(t, survey, t.tokens.inspector, new Map([['intro_photo', [media.id]]]));
  await t.request('POST', `/v1/surveys/${survey}/submit`, { token: t.tokens.inspector });
  await t.drainBus();
  const report = (
    await t.request('GET', `/v1/surveys/${survey}/report`, { token: t.tokens.manager })
  ).json<{ id: string; status: string }>();
  expect(report.status).toBe('ready');
  ids = { facility: t.demo.facilityIds[0] as string, survey, media: media.id, report: report.id };
}, 120_000);
afterAll(async () => t?.stop());

describe('tenant isolation', () => {
  it.each([
    ['facility', () => `/v1/facilities/${ids.facility}`],
    ['survey', () => `/v1/surveys/${ids.survey}`],
    ['survey photos', () => `/v1/surveys/${ids.survey}/media`],
    ['photo', () => `/v1/media/${ids.media}`],
    ['survey report', () => `/v1/surveys/${ids.survey}/report`],
    ['report', () => `/v1/reports/${ids.report}`],
  ])('hides the %s with 404', async (_entity, url) => {
    const response = await t.request('GET', url(), { token: t.otherTokens.admin });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });

  it('lets the owner read what the other tenant cannot', async () => {
    const response = await t.request('GET', `/v1/media/${ids.media}`, { token: t.tokens.manager });
    expect(response.statusCode).toBe(200);
  });

  it('refuses to change the facility', async () => {
    const response = await t.request('PUT', `/v1/facilities/${ids.facility}`, {
      token: t.otherTokens.admin,
      body: { name: 'Taken over', kind: 'site' },
    });
    expect(response.statusCode).toBe(404);
    const facility = await t.request('GET', `/v1/facilities/${ids.facility}`, {
      token: t.tokens.manager,
    });
    expect(facility.json().name).not.toBe('Taken over');
  });

  it('refuses to review the survey', async () => {
    const response = await t.request('POST', `/v1/surveys/${ids.survey}/review`, {
      token: t.otherTokens.admin,
      body: { note: 'not yours' },
    });
    expect(response.statusCode).toBe(404);
    const survey = await t.request('GET', `/v1/surveys/${ids.survey}`, { token: t.tokens.manager });
    expect(survey.json().status).toBe('submitted');
  });

  it('refuses to upload to the survey', async () => {
    const response = await t.request('POST', `/v1/surveys/${ids.survey}/media/uploads`, {
      token: t.otherTokens.admin,
      body: { fileName: 'x.jpg', contentType: 'image/jpeg', byteSize: 10 },
    });
    expect(response.statusCode).toBe(404);
  });

  it('refuses to regenerate the report', async () => {
    const response = await t.request('POST', `/v1/surveys/${ids.survey}/report`, {
      token: t.otherTokens.admin,
    });
    expect(response.statusCode).toBe(404);
  });

  it('refuses to assign the facility to its own inspector', async () => {
    const response = await t.request('POST', '/v1/surveys', {
      token: t.otherTokens.manager,
      body: {
        facilityId: ids.facility,
        templateId: t.other.templateId,
        inspectorId: t.other.users.inspector.id,
      },
    });
    expect(response.statusCode).toBe(404);
  });

  it('keeps the lists apart', async () => {
    const surveys = (await t.request('GET', '/v1/surveys', { token: t.otherTokens.admin })).json();
    const facilities = (
      await t.request('GET', '/v1/facilities', { token: t.otherTokens.admin })
    ).json();
    expect(surveys.map((s: { id: string }) => s.id)).not.toContain(ids.survey);
    expect(facilities.map((f: { id: string }) => f.id)).not.toContain(ids.facility);
  });
});
