import { TemplateDefinition, type ReportView } from '@avior/contract';
import { Value } from 'typebox/value';
import { requireRole, type Principal } from '../../gateway/auth.ts';
import { PermanentError } from '../../platform/bus/index.ts';
import { BlobNotFoundError, type BlobStore } from '../../platform/blobs/blob-store.ts';
import { invalidState, notFound } from '../../platform/errors/error-catalogue.ts';
import type { Logger } from '../../platform/telemetry/logger.ts';
import type { ReportDocument } from './pdf/report.types.ts';
import {
  buildReportDocument,
  type PrintablePhoto,
  type UnprintablePhoto,
} from './report.document.ts';
import { reportFileName } from './report.keys.ts';
import { requestReportIfReady, requestReportRegeneration } from './report-requests.ts';
import type { PhotoRecord, ReportRecord, ReportsRepository } from './reports.repository.ts';

/** Signs a download link for a blob, suggesting `fileName` to the browser. */
export type SignDownload = (key: string, fileName: string) => { url: string; expiresAt: string };

export interface ReportServiceDependencies {
  readonly repository: ReportsRepository;
  readonly blobs: Pick<BlobStore, 'get'>;
  readonly signDownload: SignDownload;
  /** Wakes in-process consumers after a transaction that appended an event commits. */
  readonly onCommitted: () => void;
  readonly logger: Logger;
}

/** Tier of the media derivatives written for print: a JPEG at most 1600 px on its long side. */
const REPORT_TIER = 'report';

const REPORTABLE_STATUSES = new Set(['submitted', 'reviewed']);

/** Serves report views, accepts regeneration requests and assembles the report of a survey. */
export class ReportService {
  constructor(private readonly deps: ReportServiceDependencies) {}

  async getReport(principal: Principal, reportId: string): Promise<ReportView> {
    const report = await this.deps.repository.findById(principal.orgId, reportId);
    if (!report || !canSee(principal, report)) {
      throw notFound('Report', reportId);
    }

    return this.toView(report);
  }

  async getSurveyReport(principal: Principal, surveyId: string): Promise<ReportView> {
    const report = await this.deps.repository.findBySurvey(principal.orgId, surveyId);
    if (!report || !canSee(principal, report)) {
      throw notFound('Report of survey', surveyId);
    }

    return this.toView(report);
  }

  /**
   * Generates a submitted or reviewed survey's report again and returns it as pending. A
   * generation still running for an earlier request finishes without storing its result.
   */
  async regenerate(principal: Principal, surveyId: string): Promise<ReportView> {
    requireRole(principal, ['admin', 'manager'], 'regenerate reports');

    const { orgId } = principal;
    await this.deps.repository.transaction(async (trx) => {
      const status = await this.deps.repository.lockSurveyStatus(trx, orgId, surveyId);
      if (!status) {
        throw notFound('Survey', surveyId);
      }

      if (!REPORTABLE_STATUSES.has(status)) {
        throw invalidState(
          'Survey',
          surveyId,
          status,
          'only a submitted or reviewed survey has a report',
        );
      }

      const reportId = await requestReportRegeneration(trx, orgId, surveyId);
      if (!reportId && !(await requestReportIfReady(trx, orgId, surveyId))) {
        throw invalidState(
          'Survey',
          surveyId,
          status,
          'its photos are still being processed, and the report is generated when they finish',
        );
      }
    });
    this.deps.onCommitted();

    return this.getSurveyReport(principal, surveyId);
  }

  /**
   * Reads a survey, its template, answers, findings and photos and builds its report. A photo
   * without a readable report-size copy is listed among the photos that could not be processed,
   * rather than failing the report. Raises PermanentError when the survey or its template
   * cannot be read.
   */
  async buildDocument(orgId: string, surveyId: string, generatedAt: Date): Promise<ReportDocument> {
    const { repository } = this.deps;
    const survey = await repository.getSurveyForReport(orgId, surveyId);
    if (!survey) {
      throw new PermanentError(`survey ${surveyId} not found in organisation ${orgId}`);
    }

    if (!Value.Check(TemplateDefinition, survey.definition)) {
      throw new PermanentError(`the template of survey ${surveyId} is not a valid definition`);
    }

    const [answers, findings, photos] = await Promise.all([
      repository.listAnswers(orgId, surveyId),
      repository.listFindings(orgId, surveyId),
      repository.listPhotos(orgId, surveyId),
    ]);
    const { printable, unprintable } = await this.loadPhotos(photos);
    const definition = survey.definition;
    return buildReportDocument({
      survey,
      definition,
      answers,
      findings,
      printable,
      unprintable,
      generatedAt,
    });
  }

  private async loadPhotos(records: readonly PhotoRecord[]) {
    const printable: PrintablePhoto[] = [];
    const unprintable: UnprintablePhoto[] = [];
    for (const record of records) {
      const loaded = await this.loadPhoto(record);
      if ('jpeg' in loaded) {
        printable.push(loaded);
      } else {
        unprintable.push(loaded);
      }
    }

    return { printable, unprintable };
  }

  // Photos are read one at a time, so a survey with hundreds of photos does not start hundreds
  // of blob reads at once.
  // NOTE: every printable JPEG stays in memory until the PDF is written, and the PDF contains a
  // second copy. Report-tier JPEGs of the full-size photos in fixtures/photos measure 100 to
  // 300 KiB, so a survey with 1,000 photos needs several hundred megabytes.
  private async loadPhoto(record: PhotoRecord): Promise<PrintablePhoto | UnprintablePhoto> {
    if (record.status === 'failed') {
      return { record, reason: record.failureReason ?? 'The photo could not be processed' };
    }

    if (record.status !== 'processed') {
      return { record, reason: 'The photo was still being processed when the report was made' };
    }

    const derivative = findReportDerivative(record.derivatives);
    if (!derivative) {
      return { record, reason: 'The photo has no print-size copy' };
    }

    try {
      const jpeg = await this.deps.blobs.get(derivative.key);
      return { record, jpeg, width: derivative.width, height: derivative.height };
    } catch (error) {
      if (error instanceof BlobNotFoundError) {
        this.deps.logger.warn(
          { mediaId: record.id, key: derivative.key },
          `report photo missing for media ${record.id}: blob ${derivative.key} not found`,
        );
        return { record, reason: 'The print-size copy of the photo is missing from storage' };
      }
      throw error;
    }
  }

  private toView(report: ReportRecord): ReportView {
    return {
      id: report.id,
      surveyId: report.surveyId,
      status: report.status,
      pageCount: report.pageCount,
      byteSize: report.byteSize,
      generatedAt: report.generatedAt ? report.generatedAt.toISOString() : null,
      error: report.error,
      download: this.signDownload(report),
    };
  }

  private signDownload(report: ReportRecord): ReportView['download'] {
    if (report.status !== 'ready' || !report.blobKey) {
      return null;
    }

    const inspectedAt = report.submittedAt ?? report.generatedAt ?? new Date();
    return this.deps.signDownload(report.blobKey, reportFileName(report.facilityName, inspectedAt));
  }
}

// Inspectors see only the reports of surveys assigned to them; other reports are not found,
// so their ids are not confirmed.
function canSee(principal: Principal, report: ReportRecord): boolean {
  return principal.role !== 'inspector' || report.inspectorId === principal.userId;
}

interface ReportDerivative {
  readonly key: string;
  readonly width: number;
  readonly height: number;
}

function findReportDerivative(derivatives: unknown): ReportDerivative | undefined {
  if (!Array.isArray(derivatives)) {
    return undefined;
  }

  const entry: unknown = derivatives.find(
    (candidate: unknown) =>
      typeof candidate === 'object' &&
      candidate !== null &&
      (candidate as { tier?: unknown }).tier === REPORT_TIER,
  );
  const { key, width, height } = (entry ?? {}) as Record<string, unknown>;
  if (typeof key !== 'string') {
    return undefined;
  }

  return {
    key,
    width: typeof width === 'number' ? width : 0,
    height: typeof height === 'number' ? height : 0,
  };
}
