import { performance } from 'node:perf_hooks';
import type { EventEnvelope } from '@avior/contract';
import {
  appendEvent,
  PermanentError,
  type HandlerContext,
  type HandlerOutcome,
} from '../../platform/bus/index.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { RenderedReport, ReportDocument } from './pdf/report.types.ts';
import { reportBlobKey } from './report.keys.ts';
import type { ReportService } from './report.service.ts';
import { requestReportIfReady } from './report-requests.ts';
import type { ReportRequest, ReportsRepository } from './reports.repository.ts';

export interface ReportWorkerDependencies {
  readonly repository: ReportsRepository;
  readonly service: ReportService;
  readonly blobs: Pick<BlobStore, 'put'>;
  readonly render: (document: ReportDocument) => Promise<RenderedReport>;
  /** Attempts the bus makes before it dead-letters an event. */
  readonly maxAttempts: number;
  /** Wakes in-process consumers after a transaction that appended an event commits. */
  readonly onCommitted: () => void;
}

/** Longest error text stored on a failed report; the full error goes to the log. */
const STORED_ERROR_MAX_LENGTH = 500;

/** Requests reports of submitted surveys and generates them. */
export class ReportWorker {
  constructor(private readonly deps: ReportWorkerDependencies) {}

  /** Requests the report of a submitted survey unless a photo is still being processed. */
  async requestOnSubmit(event: EventEnvelope<'survey.submitted'>): Promise<HandlerOutcome> {
    const { surveyId } = event.payload;
    const reportId = await this.deps.repository.transaction((trx) =>
      requestReportIfReady(trx, event.orgId, surveyId),
    );
    if (!reportId) {
      return 'skipped';
    }

    this.deps.onCommitted();
    return 'done';
  }

  /**
   * Generates a report's PDF, stores it and marks the report ready with report.ready in one
   * transaction. A ready report is skipped. A report requested again while this run worked is
   * left to the newer request's run. After the last attempt the report is marked failed.
   */
  async generate(
    event: EventEnvelope<'report.generate'>,
    ctx: HandlerContext,
  ): Promise<HandlerOutcome> {
    const { reportId } = event.payload;
    const request = await this.deps.repository.getRequest(event.orgId, reportId);
    if (!request) {
      throw new PermanentError(`report ${reportId} not found in organisation ${event.orgId}`);
    }

    if (request.status === 'ready') {
      return 'skipped';
    }

    try {
      return await this.generateFor(event.orgId, request, ctx);
    } catch (error) {
      if (error instanceof PermanentError || ctx.attempt >= this.deps.maxAttempts) {
        await this.deps.repository.markFailed(event.orgId, request, describeFailure(error));
      }
      throw error;
    }
  }

  private async generateFor(
    orgId: string,
    request: ReportRequest,
    ctx: HandlerContext,
  ): Promise<HandlerOutcome> {
    const started = performance.now();
    const generatedAt = new Date();
    const document = await this.deps.service.buildDocument(orgId, request.surveyId, generatedAt);
    const rendered = await this.deps.render(document);

    const stored = await this.store(orgId, request, rendered, generatedAt);
    const durationMs = Math.round(performance.now() - started);
    if (!stored) {
      ctx.logger.info(
        { orgId, surveyId: request.surveyId, durationMs },
        `report generation skipped for survey ${request.surveyId}: a newer request replaced it`,
      );
      return 'skipped';
    }

    this.deps.onCommitted();
    ctx.logger.info(
      { orgId, surveyId: request.surveyId, reportId: request.id, durationMs },
      `report generated for survey ${request.surveyId}: ${rendered.pageCount} pages in ${durationMs} ms`,
    );
    return 'done';
  }

  // The PDF is written while the report row is locked, so of two runs for one report only the
  // run of the latest request writes the file, and an older run cannot overwrite it afterwards.
  private store(
    orgId: string,
    request: ReportRequest,
    rendered: RenderedReport,
    generatedAt: Date,
  ): Promise<boolean> {
    const { repository, blobs } = this.deps;
    const blobKey = reportBlobKey(orgId, request.surveyId, request.id);

    return repository.transaction(async (trx) => {
      if (!(await repository.lockCurrentRequest(trx, orgId, request))) {
        return false;
      }

      await blobs.put(blobKey, rendered.pdf, 'application/pdf');
      await repository.markReady(trx, request.id, {
        blobKey,
        byteSize: rendered.pdf.length,
        pageCount: rendered.pageCount,
        generatedAt,
      });
      await appendEvent(trx, {
        topic: 'report.ready',
        orgId,
        payload: { reportId: request.id, surveyId: request.surveyId },
      });
      return true;
    });
  }
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Report generation failed: ${message}`.slice(0, STORED_ERROR_MAX_LENGTH);
}
