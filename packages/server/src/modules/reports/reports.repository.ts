import { sql, type Kysely, type Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type {
  Database,
  FindingsTable,
  MediaStatus,
  ReportsTable,
  SurveyStatus,
} from '../../platform/db/schema.ts';

export type Executor = Kysely<Database>;

export type ReportStatus = ReportsTable['status'];

/** A report row with what its API view and download name need. */
export interface ReportRecord {
  readonly id: string;
  readonly surveyId: string;
  readonly status: ReportStatus;
  readonly blobKey: string | null;
  readonly byteSize: number | null;
  readonly pageCount: number | null;
  readonly error: string | null;
  readonly generatedAt: Date | null;
  readonly inspectorId: string;
  readonly facilityName: string;
  readonly submittedAt: Date | null;
}

/**
 * A report row as the generator sees it. `requestToken` is `requested_at` as text with every
 * microsecond, so it compares exactly, which a JavaScript Date (milliseconds) would not.
 */
export interface ReportRequest {
  readonly id: string;
  readonly surveyId: string;
  readonly status: ReportStatus;
  readonly requestToken: string;
}

/** The survey with everything the report's cover and sections print. */
export interface SurveyForReport {
  readonly id: string;
  readonly status: SurveyStatus;
  readonly createdAt: Date;
  /** Calendar date as YYYY-MM-DD. */
  readonly dueDate: string | null;
  readonly submittedAt: Date | null;
  readonly score: number | null;
  readonly riskLevel: string | null;
  readonly organisationName: string;
  readonly facility: { readonly name: string; readonly address: string; readonly kind: string };
  readonly inspector: { readonly name: string; readonly email: string };
  readonly templateTitle: string;
  readonly templateVersion: number;
  /** The template's definition as stored; the caller checks its shape. */
  readonly definition: unknown;
}

export interface AnswerRecord {
  readonly questionId: string;
  readonly value: unknown;
  readonly note: string | null;
}

export type FindingRecord = Pick<
  Selectable<FindingsTable>,
  'media_id' | 'question_id' | 'source' | 'severity' | 'message' | 'evidence'
>;

/** A photo of the survey that reached storage. */
export interface PhotoRecord {
  readonly id: string;
  readonly questionId: string | null;
  readonly fileName: string;
  readonly status: MediaStatus;
  readonly failureReason: string | null;
  readonly metadata: unknown;
  readonly derivatives: unknown;
}

/** The columns a finished generation stores. */
export interface GeneratedReport {
  readonly blobKey: string;
  readonly byteSize: number;
  readonly pageCount: number;
  readonly generatedAt: Date;
}

/** Reads what a report shows and keeps the report rows. */
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  findById(orgId: string, reportId: string): Promise<ReportRecord | undefined> {
    return this.selectReports(orgId).where('r.id', '=', reportId).executeTakeFirst();
  }

  findBySurvey(orgId: string, surveyId: string): Promise<ReportRecord | undefined> {
    return this.selectReports(orgId).where('r.survey_id', '=', surveyId).executeTakeFirst();
  }

  getRequest(orgId: string, reportId: string): Promise<ReportRequest | undefined> {
    return this.db
      .selectFrom('reports')
      .select(['id', 'survey_id as surveyId', 'status'])
      .select(sql<string>`requested_at::text`.as('requestToken'))
      .where('org_id', '=', orgId)
      .where('id', '=', reportId)
      .executeTakeFirst();
  }

  async getSurveyForReport(orgId: string, surveyId: string): Promise<SurveyForReport | undefined> {
    const row = await this.db
      .selectFrom('surveys as s')
      .innerJoin('organisations as o', 'o.id', 's.org_id')
      .innerJoin('facilities as f', 'f.id', 's.facility_id')
      .innerJoin('users as u', 'u.id', 's.inspector_id')
      .innerJoin('templates as t', 't.id', 's.template_id')
      .select([
        's.id',
        's.status',
        's.created_at as createdAt',
        sql<string | null>`to_char(s.due_date, 'YYYY-MM-DD')`.as('dueDate'),
        's.submitted_at as submittedAt',
        's.score',
        's.risk_level as riskLevel',
        'o.name as organisationName',
        'f.name as facilityName',
        'f.address as facilityAddress',
        'f.kind as facilityKind',
        'u.name as inspectorName',
        'u.email as inspectorEmail',
        't.title as templateTitle',
        't.version as templateVersion',
        't.definition',
      ])
      .where('s.org_id', '=', orgId)
      .where('s.id', '=', surveyId)
      .executeTakeFirst();
    if (!row) {
      return undefined;
    }

    const { facilityName, facilityAddress, facilityKind, inspectorName, inspectorEmail, ...rest } =
      row;
    return {
      ...rest,
      facility: { name: facilityName, address: facilityAddress, kind: facilityKind },
      inspector: { name: inspectorName, email: inspectorEmail },
    };
  }

  listAnswers(orgId: string, surveyId: string): Promise<AnswerRecord[]> {
    return this.db
      .selectFrom('answers')
      .select(['question_id as questionId', 'value', 'note'])
      .where('org_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .execute();
  }

  listFindings(orgId: string, surveyId: string): Promise<FindingRecord[]> {
    return this.db
      .selectFrom('findings')
      .select(['media_id', 'question_id', 'source', 'severity', 'message', 'evidence'])
      .where('org_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Lists the photos that were uploaded, in upload order; awaited uploads are left out. */
  listPhotos(orgId: string, surveyId: string): Promise<PhotoRecord[]> {
    return this.db
      .selectFrom('media')
      .select([
        'id',
        'question_id as questionId',
        'file_name as fileName',
        'status',
        'failure_reason as failureReason',
        'metadata',
        'derivatives',
      ])
      .where('org_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .where('status', '!=', 'awaiting_upload')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Reads a survey's status and locks the row, so a submit or review waits for this request. */
  async lockSurveyStatus(
    trx: Executor,
    orgId: string,
    surveyId: string,
  ): Promise<SurveyStatus | undefined> {
    const row = await trx
      .selectFrom('surveys')
      .select('status')
      .where('org_id', '=', orgId)
      .where('id', '=', surveyId)
      .forUpdate()
      .executeTakeFirst();

    return row?.status;
  }

  /**
   * Sets a survey's report back to pending with a new request time, so a generation already
   * running for the previous request cannot store its result. Returns the report id, or
   * undefined when the survey has no report row yet.
   */
  /**
   * Locks a pending report while `request` is still its latest request. Returns false when the
   * report was requested again or finished since, so the caller must not store its result.
   */
  async lockCurrentRequest(trx: Executor, orgId: string, request: ReportRequest): Promise<boolean> {
    const row = await trx
      .selectFrom('reports')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', '=', request.id)
      .where('status', '=', 'pending')
      .where('requested_at', '=', sql<Date>`${request.requestToken}::timestamptz`)
      .forUpdate()
      .executeTakeFirst();

    return row !== undefined;
  }

  async markReady(trx: Executor, reportId: string, generated: GeneratedReport): Promise<void> {
    await trx
      .updateTable('reports')
      .set({
        status: 'ready',
        blob_key: generated.blobKey,
        byte_size: generated.byteSize,
        page_count: generated.pageCount,
        generated_at: generated.generatedAt,
        error: null,
      })
      .where('id', '=', reportId)
      .execute();
  }

  /** Marks a report failed unless it was requested again since `request` was read. */
  async markFailed(orgId: string, request: ReportRequest, error: string): Promise<void> {
    await this.db
      .updateTable('reports')
      .set({ status: 'failed', error })
      .where('org_id', '=', orgId)
      .where('id', '=', request.id)
      .where('status', '=', 'pending')
      .where('requested_at', '=', sql<Date>`${request.requestToken}::timestamptz`)
      .execute();
  }

  private selectReports(orgId: string) {
    return this.db
      .selectFrom('reports as r')
      .innerJoin('surveys as s', 's.id', 'r.survey_id')
      .innerJoin('facilities as f', 'f.id', 's.facility_id')
      .select([
        'r.id',
        'r.survey_id as surveyId',
        'r.status',
        'r.blob_key as blobKey',
        'r.byte_size as byteSize',
        'r.page_count as pageCount',
        'r.error',
        'r.generated_at as generatedAt',
        's.inspector_id as inspectorId',
        'f.name as facilityName',
        's.submitted_at as submittedAt',
      ])
      .where('r.org_id', '=', orgId);
  }
}
