import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaView, NotificationView, ReportView, TemplateDefinition } from '@avior/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const PHOTO_FOLDER = fileURLToPath(new URL('../../fixtures/photos/', import.meta.url));

/** Processed photos of the survey; the tiny one also gets a "too small" quality finding. */
const PHOTOS = ['fire_sprinkler_head_closeup.jpg', 'tiny_59x100_full_exif.jpg'] as const;
const BROKEN_PHOTO = 'broken-upload.jpg';

const FLAG_MESSAGE = 'Exit door obstructed by pallets';
const REMARKS = 'Sprinkler valve chained open in the east stairwell';

const TEMPLATE: TemplateDefinition = {
  key: 'exit-route-check',
  title: 'Exit route check',
  sections: [
    {
      id: 'access',
      title: 'Access',
      questions: [
        {
          id: 'door_clear',
          type: 'yes_no_na',
          label: 'Is the exit door free of obstructions?',
          required: true,
          rules: [
            {
              when: { operator: 'equals', value: 'no' },
              severity: 'critical',
              message: FLAG_MESSAGE,
            },
          ],
        },
        { id: 'remarks', type: 'text', label: 'Remarks', required: false, multiline: true },
      ],
    },
    {
      id: 'evidence',
      title: 'Evidence',
      questions: [
        { id: 'exit_photos', type: 'photo', label: 'Photos of the exit', required: false },
      ],
    },
  ],
};

let t: TestApp;
let scratchDir: string;
let surveyId: string;
let facilityName: string;

beforeAll(async () => {
  t = await startTestApp();
  scratchDir = await mkdtemp(join(tmpdir(), 'avior-report-test-'));
  surveyId = await createSurvey();
  facilityName = await readFacilityName(surveyId);

  const photoIds = [];
  for (const name of PHOTOS) {
    photoIds.push(await uploadPhoto(surveyId, name, await readFile(join(PHOTO_FOLDER, name))));
  }
  await uploadPhoto(surveyId, BROKEN_PHOTO, randomBytes(4096));
  await t.drainBus();

  await answer(surveyId, [
    { questionId: 'door_clear', value: 'no' },
    { questionId: 'remarks', value: REMARKS },
    { questionId: 'exit_photos', value: photoIds },
  ]);
  const submitted = await t.request('POST', `/v1/surveys/${surveyId}/submit`, {
    token: t.tokens.inspector,
  });
  expect(submitted.statusCode).toBe(200);
  await t.drainBus();
});

afterAll(async () => {
  await t.stop();
  await rm(scratchDir, { recursive: true, force: true });
});

async function createSurvey(): Promise<string> {
  const template = await t.request('POST', '/v1/templates', {
    token: t.tokens.manager,
    body: TEMPLATE,
  });
  expect(template.statusCode).toBe(201);

  const survey = await t.request('POST', '/v1/surveys', {
    token: t.tokens.manager,
    body: {
      facilityId: t.demo.facilityIds[0],
      templateId: template.json<{ id: string }>().id,
      inspectorId: t.demo.users.inspector.id,
      dueDate: '2031-05-17',
    },
  });
  expect(survey.statusCode).toBe(201);
  return survey.json<{ id: string }>().id;
}

async function readFacilityName(id: string): Promise<string> {
  const survey = await t.request('GET', `/v1/surveys/${id}`, { token: t.tokens.manager });
  return survey.json<{ facility: { name: string } }>().facility.name;
}

function multipartBody(fields: Readonly<Record<string, string>>, fileName: string, bytes: Buffer) {
  const boundary = `avior-${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const fileHeader =
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    'content-type: image/jpeg\r\n\r\n';
  const payload = Buffer.concat([
    Buffer.from(parts.join('') + fileHeader),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function uploadPhoto(id: string, fileName: string, bytes: Buffer): Promise<string> {
  const body = multipartBody({ questionId: 'exit_photos' }, fileName, bytes);
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/surveys/${id}/media`,
    headers: { authorization: `Bearer ${t.tokens.inspector}`, 'content-type': body.contentType },
    payload: body.payload,
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ media: MediaView }>().media.id;
}

async function answer(id: string, answers: readonly { questionId: string; value: unknown }[]) {
  const response = await t.request('PUT', `/v1/surveys/${id}/answers`, {
    token: t.tokens.inspector,
    body: { answers },
  });
  expect(response.statusCode).toBe(200);
}

async function surveyReport(token: string): Promise<ReportView> {
  const response = await t.request('GET', `/v1/surveys/${surveyId}/report`, { token });
  expect(response.statusCode).toBe(200);
  return response.json<ReportView>();
}

async function downloadPdf(report: ReportView): Promise<{ bytes: Buffer; disposition: string }> {
  if (!report.download) throw new Error(`report ${report.id} has no download link`);

  const url = new URL(report.download.url);
  const response = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  expect(response.statusCode).toBe(200);
  return {
    bytes: response.rawPayload,
    disposition: String(response.headers['content-disposition']),
  };
}

async function runPoppler(tool: 'pdftotext' | 'pdfimages', pdf: Buffer, args: string[]) {
  const file = join(scratchDir, `${randomBytes(6).toString('hex')}.pdf`);
  await writeFile(file, pdf);
  return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], {
    encoding: 'utf8',
  });
}

describe('report of a submitted survey', () => {
  let report: ReportView;
  let pdf: Buffer;
  let text: string;

  beforeAll(async () => {
    report = await surveyReport(t.tokens.manager);
    pdf = (await downloadPdf(report)).bytes;
    text = (await runPoppler('pdftotext', pdf, [])).replace(/\s+/g, ' ');
  });

  it('is ready', () => {
    expect(report.status).toBe('ready');
  });

  it('reports its page count and size', () => {
    expect([report.pageCount ?? 0, report.byteSize]).toEqual([expect.any(Number), pdf.length]);
  });

  it('has at least a cover and a photo page', () => {
    expect(report.pageCount).toBeGreaterThanOrEqual(2);
  });

  it('is a PDF', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it.each([
    ['the facility', () => facilityName],
    ['the flag message', () => FLAG_MESSAGE],
    ['a text answer', () => REMARKS],
    ['a yes/no answer', () => 'Is the exit door free of obstructions?'],
    ['the failed photo', () => BROKEN_PHOTO],
  ])('prints %s', (_name, expected) => {
    expect(text).toContain(expected());
  });

  it('prints a quality note under the small photo', () => {
    expect(text).toMatch(/Quality: [^.]*small/i);
  });

  it('embeds one image per processed photo', async () => {
    const listing = await runPoppler('pdfimages', pdf, ['-list']);
    const imageRows = listing
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '');
    expect(imageRows).toHaveLength(PHOTOS.length);
  });

  it('names the download after the facility and date', async () => {
    const { disposition } = await downloadPdf(report);
    expect(disposition).toMatch(/inspection-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf/);
  });

  it('is the same through its report id', async () => {
    const response = await t.request('GET', `/v1/reports/${report.id}`, { token: t.tokens.viewer });
    expect(response.json<ReportView>()).toMatchObject({ id: report.id, surveyId, status: 'ready' });
  });

  it.each([
    ['inspector', () => t.tokens.inspector],
    ['manager', () => t.tokens.manager],
    ['admin', () => t.tokens.admin],
  ])('notifies the %s', async (_role, token) => {
    const response = await t.request('GET', '/v1/notifications?limit=200', { token: token() });
    const ready = response
      .json<NotificationView[]>()
      .find((item) => item.kind === 'report.ready' && item.data.reportId === report.id);
    expect(ready?.data.surveyId).toBe(surveyId);
  });

  it('does not notify the viewer', async () => {
    const response = await t.request('GET', '/v1/notifications?limit=200', {
      token: t.tokens.viewer,
    });
    const kinds = response.json<NotificationView[]>().map((item) => item.kind);
    expect(kinds).not.toContain('report.ready');
  });
});

describe('report isolation', () => {
  it.each([
    ['by survey', () => `/v1/surveys/${surveyId}/report`],
    ['by id', async () => `/v1/reports/${(await surveyReport(t.tokens.manager)).id}`],
  ])('answers 404 to another organisation %s', async (_name, url) => {
    const response = await t.request('GET', await url(), { token: t.otherTokens.admin });
    expect(response.statusCode).toBe(404);
  });

  it('answers 404 to an inspector of another survey', async () => {
    const other = await t.request('POST', '/v1/users', {
      token: t.tokens.admin,
      body: {
        email: 'second.inspector@northwind.example',
        name: 'Sam Second',
        role: 'inspector',
        password: 'second-inspector-pass',
      },
    });
    expect(other.statusCode).toBe(201);
    const login = await t.request('POST', '/v1/auth/login', {
      body: { email: 'second.inspector@northwind.example', password: 'second-inspector-pass' },
    });

    const token = login.json<{ accessToken: string }>().accessToken;
    const response = await t.request('GET', `/v1/surveys/${surveyId}/report`, { token });
    expect(response.statusCode).toBe(404);
  });

  it('answers 404 for a survey without a report', async () => {
    const response = await t.request('GET', `/v1/surveys/${await createSurvey()}/report`, {
      token: t.tokens.manager,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('POST /v1/surveys/:surveyId/report', () => {
  it('rejects an inspector with 403', async () => {
    const response = await t.request('POST', `/v1/surveys/${surveyId}/report`, {
      token: t.tokens.inspector,
    });
    expect(response.statusCode).toBe(403);
  });

  it('answers 404 to another organisation', async () => {
    const response = await t.request('POST', `/v1/surveys/${surveyId}/report`, {
      token: t.otherTokens.manager,
    });
    expect(response.statusCode).toBe(404);
  });

  it('rejects a survey that is not submitted with 409', async () => {
    const response = await t.request('POST', `/v1/surveys/${await createSurvey()}/report`, {
      token: t.tokens.manager,
    });
    expect(response.statusCode).toBe(409);
  });

  it('sets the report pending without a download', async () => {
    const response = await t.request('POST', `/v1/surveys/${surveyId}/report`, {
      token: t.tokens.manager,
    });
    expect([
      response.statusCode,
      response.json<ReportView>().status,
      response.json<ReportView>().download,
    ]).toEqual([202, 'pending', null]);
  });

  it('generates the report again', async () => {
    const before = await surveyReport(t.tokens.manager);
    const response = await t.request('POST', `/v1/surveys/${surveyId}/report`, {
      token: t.tokens.admin,
    });
    expect(response.statusCode).toBe(202);
    await t.drainBus();

    const after = await surveyReport(t.tokens.manager);
    expect([after.id, after.status, after.generatedAt === before.generatedAt]).toEqual([
      before.id,
      'ready',
      false,
    ]);
  });
});
