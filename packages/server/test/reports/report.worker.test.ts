import { sql } from 'kysely';
import type { EventEnvelope, TemplateDefinition } from '@avior/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderReportPdf } from '../../src/modules/reports/pdf/report.pdf.ts';
import type { RenderedReport, ReportDocument } from '../../src/modules/reports/pdf/report.types.ts';
import { reportBlobKey } from '../../src/modules/reports/report.keys.ts';
import { requestReportIfReady } from '../../src/modules/reports/report-requests.ts';
import { ReportService } from '../../src/modules/reports/report.service.ts';
import { ReportWorker } from '../../src/modules/reports/report.worker.ts';
import { ReportsRepository } from '../../src/modules/reports/reports.repository.ts';
import { PermanentError } from '../../src/platform/bus/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const MAX_ATTEMPTS = 3;

const TEMPLATE: TemplateDefinition = {
  key: 'worker-check',
  title: 'Worker check',
  sections: [
    {
      id: 'main',
      title: 'Main',
      questions: [
        { id: 'lights_on', type: 'yes_no_na', label: 'Are the lights on?', required: true },
      ],
    },
  ],
};

type Render = (document: ReportDocument) => Promise<RenderedReport>;

let t: TestApp;
let repository: ReportsRepository;
let render: Render;

// The API role alone starts no consumers, so only the workers built here handle report events.
beforeAll(async () => {
  t = await startTestApp({ start: { roles: ['api'] } });
  repository = new ReportsRepository(t.running.platform.db);
});
afterAll(() => t.stop());
beforeEach(() => {
  render = renderReportPdf;
});

function createWorker(): ReportWorker {
  const { platform } = t.running;
  const service = new ReportService({
    repository,
    blobs: platform.blobs,
    signDownload: (key, fileName) => platform.signUrl({ operation: 'get', key, fileName }),
    onCommitted: () => undefined,
    logger: platform.logger,
  });
  return new ReportWorker({
    repository,
    service,
    blobs: platform.blobs,
    render: (document) => render(document),
    maxAttempts: MAX_ATTEMPTS,
    onCommitted: () => undefined,
  });
}

async function submittedSurveyWithReport(): Promise<{ surveyId: string; reportId: string }> {
  const template = await t.request('POST', '/v1/templates', {
    token: t.tokens.manager,
    body: TEMPLATE,
  });
  const survey = await t.request('POST', '/v1/surveys', {
    token: t.tokens.manager,
    body: {
      facilityId: t.demo.facilityIds[1],
      templateId: template.json<{ id: string }>().id,
      inspectorId: t.demo.users.inspector.id,
    },
  });
  const surveyId = survey.json<{ id: string }>().id;
  await t.request('PUT', `/v1/surveys/${surveyId}/answers`, {
    token: t.tokens.inspector,
    body: { answers: [{ questionId: 'lights_on', value: 'yes' }] },
  });
  const submitted = await t.request('POST', `/v1/surveys/${surveyId}/submit`, {
    token: t.tokens.inspector,
  });
  expect(submitted.statusCode).toBe(200);

  const reportId = await t.running.platform.db
    .transaction()
    .execute((trx) => requestReportIfReady(trx, t.demo.orgId, surveyId));
  if (!reportId) throw new Error(`no report was requested for survey ${surveyId}`);
  return { surveyId, reportId };
}

function generateEvent(reportId: string, surveyId: string): EventEnvelope<'report.generate'> {
  return {
    id: newId(),
    topic: 'report.generate',
    orgId: t.demo.orgId,
    payload: { reportId, surveyId },
    schemaVersion: 1,
    traceparent: null,
    createdAt: new Date(),
  };
}

function context(eventId: string, attempt = 1) {
  return { eventId, attempt, group: 'reports.generate', logger: t.running.platform.logger };
}

async function run(worker: ReportWorker, event: EventEnvelope<'report.generate'>, attempt = 1) {
  return worker.generate(event, context(event.id, attempt));
}

async function reportRow(reportId: string) {
  return t.running.platform.db
    .selectFrom('reports')
    .select(['status', 'error', 'blob_key', 'page_count'])
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow();
}

describe('ReportWorker.generate', () => {
  it('stores the PDF and marks the report ready', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();

    const outcome = await run(createWorker(), generateEvent(reportId, surveyId));

    const row = await reportRow(reportId);
    expect([outcome, row.status, row.blob_key]).toEqual([
      'done',
      'ready',
      reportBlobKey(t.demo.orgId, surveyId, reportId),
    ]);
  });

  it('appends report.ready with the report', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();

    await run(createWorker(), generateEvent(reportId, surveyId));

    const events = await t.running.platform.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('topic', '=', 'report.ready')
      .execute();
    expect(events.map((event) => event.payload)).toContainEqual({ reportId, surveyId });
  });

  it('skips a report that is ready', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();
    const worker = createWorker();
    await run(worker, generateEvent(reportId, surveyId));

    expect(await run(worker, generateEvent(reportId, surveyId))).toBe('skipped');
  });

  it('drops a run whose request was replaced', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();
    let releaseRender: () => void = () => undefined;
    let renderStarted: () => void = () => undefined;
    const renderGate = new Promise<void>((resolve) => {
      releaseRender = resolve;
    });
    const started = new Promise<void>((resolve) => {
      renderStarted = resolve;
    });
    render = async (document) => {
      renderStarted();
      await renderGate;
      return renderReportPdf(document);
    };

    const stale = run(createWorker(), generateEvent(reportId, surveyId));
    await started;
    await requestAgainWithoutEvent(surveyId);
    releaseRender();

    const outcome = await stale;
    const blobStored = await t.running.platform.blobs.exists(
      reportBlobKey(t.demo.orgId, surveyId, reportId),
    );
    expect([outcome, (await reportRow(reportId)).status, blobStored]).toEqual([
      'skipped',
      'pending',
      false,
    ]);
  });

  it('lets the replacing request finish', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();
    await requestAgainWithoutEvent(surveyId);

    const outcome = await run(createWorker(), generateEvent(reportId, surveyId));

    expect([outcome, (await reportRow(reportId)).status]).toEqual(['done', 'ready']);
  });

  it('keeps a retried report pending', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();
    render = () => Promise.reject(new Error('renderer crashed'));

    await expect(run(createWorker(), generateEvent(reportId, surveyId))).rejects.toThrow(
      'renderer crashed',
    );
    expect((await reportRow(reportId)).status).toBe('pending');
  });

  it('marks the report failed after the last attempt', async () => {
    const { surveyId, reportId } = await submittedSurveyWithReport();
    render = () => Promise.reject(new Error('renderer crashed'));

    await expect(
      run(createWorker(), generateEvent(reportId, surveyId), MAX_ATTEMPTS),
    ).rejects.toThrow();
    expect(await reportRow(reportId)).toMatchObject({
      status: 'failed',
      error: 'Report generation failed: renderer crashed',
    });
  });

  it('raises PermanentError for an unknown report', async () => {
    const event = generateEvent(newId(), newId());
    await expect(run(createWorker(), event)).rejects.toBeInstanceOf(PermanentError);
  });
});

/** Marks a report requested again, as a regeneration does, without emitting its event. */
async function requestAgainWithoutEvent(surveyId: string): Promise<void> {
  await t.running.platform.db
    .updateTable('reports')
    .set({ status: 'pending', requested_at: sql`now()` })
    .where('survey_id', '=', surveyId)
    .execute();
}
