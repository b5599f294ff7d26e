import type { TemplateDefinition } from '@avior/contract';
import type { Kysely, Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database, FindingsTable, SurveyStatus } from '../../platform/db/schema.ts';

type Executor = Kysely<Database>;

export interface SurveyRecord {
  readonly id: string;
  readonly orgId: string;
  readonly status: SurveyStatus;
  readonly facilityId: string;
  readonly facilityName: string;
  readonly templateId: string;
  readonly templateTitle: string;
  readonly templateVersion: number;
  readonly inspectorId: string;
  readonly inspectorName: string;
  readonly dueDate: string | null;
  readonly score: number | null;
  readonly riskLevel: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly submittedAt: Date | null;
  readonly reviewedAt: Date | null;
  readonly reviewNote: string | null;
}

export interface StoredAnswer {
  readonly questionId: string;
  readonly value: unknown;
  readonly note: string | null;
  readonly updatedAt: Date;
}

export type FindingRow = Selectable<FindingsTable>;

export interface SurveyListFilter {
  readonly status?: SurveyStatus | undefined;
  readonly inspectorId?: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

// Template versions whose definitions stay in memory; past this the cache starts again empty.
const CACHED_DEFINITIONS = 200;

/** One answer to save. A note left undefined keeps the stored note; null clears it. */
export interface AnswerWrite {
  readonly surveyId: string;
  readonly orgId: string;
  readonly questionId: string;
  readonly value: unknown;
  readonly note: string | null | undefined;
  readonly userId: string;
}

export class SurveysRepository {
  private readonly definitions = new Map<string, TemplateDefinition>();

  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  find(orgId: string, id: string, executor: Executor = this.db): Promise<SurveyRecord | undefined> {
    return this.selectSurveys(executor, orgId).where('s.id', '=', id).executeTakeFirst();
  }

  /** Locks the survey row for the rest of the transaction, so two submits cannot interleave. */
  async lock(trx: Executor, orgId: string, id: string): Promise<SurveyRecord | undefined> {
    const row = await trx
      .selectFrom('surveys')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ? this.find(orgId, id, trx) : undefined;
  }

  list(orgId: string, filter: SurveyListFilter): Promise<SurveyRecord[]> {
    let query = this.selectSurveys(this.db, orgId);
    if (filter.status) query = query.where('s.status', '=', filter.status);
    if (filter.inspectorId) query = query.where('s.inspector_id', '=', filter.inspectorId);
    return query
      .orderBy('s.created_at', 'desc')
      .orderBy('s.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
  }

  /**
   * Returns a template version's definition. A published version never changes, so definitions
   * are kept in memory (the fire-protection one is about 80 KB of JSON) instead of being read
   * on every answer batch.
   */
  async templateDefinition(executor: Executor, templateId: string): Promise<TemplateDefinition> {
    const cached = this.definitions.get(templateId);
    if (cached) return cached;

    const row = await executor
      .selectFrom('templates')
      .select('definition')
      .where('id', '=', templateId)
      .executeTakeFirstOrThrow();
    const definition = row.definition as TemplateDefinition;
    if (this.definitions.size >= CACHED_DEFINITIONS) this.definitions.clear();
    this.definitions.set(templateId, definition);
    return definition;
  }

  answers(surveyId: string, executor: Executor = this.db): Promise<StoredAnswer[]> {
    return executor
      .selectFrom('answers')
      .select(['question_id as questionId', 'value', 'note', 'updated_at as updatedAt'])
      .where('survey_id', '=', surveyId)
      .orderBy('question_id')
      .execute();
  }

  findings(orgId: string, surveyId: string): Promise<FindingRow[]> {
    return this.db
      .selectFrom('findings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /**
   * Saves answers. A row whose note is undefined keeps the note the answer had; a row with a
   * note, null included, replaces it.
   */
  async upsertAnswers(trx: Executor, rows: readonly AnswerWrite[]): Promise<void> {
    const keepingNotes = rows.filter((row) => row.note === undefined);
    const replacingNotes = rows.filter((row) => row.note !== undefined);
    if (keepingNotes.length > 0) await this.writeAnswers(trx, keepingNotes, 'keep');
    if (replacingNotes.length > 0) await this.writeAnswers(trx, replacingNotes, 'replace');
  }

  private async writeAnswers(
    trx: Executor,
    rows: readonly AnswerWrite[],
    notes: 'keep' | 'replace',
  ): Promise<void> {
    const now = new Date();
    await trx
      .insertInto('answers')
      .values(
        rows.map((row) => ({
          survey_id: row.surveyId,
          org_id: row.orgId,
          question_id: row.questionId,
          value: JSON.stringify(row.value),
          note: row.note ?? null,
          updated_by: row.userId,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['survey_id', 'question_id']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          note:
            notes === 'keep'
              ? eb.fn.coalesce('answers.note', 'excluded.note')
              : eb.ref('excluded.note'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async countMediaInSurvey(
    trx: Executor,
    surveyId: string,
    mediaIds: readonly string[],
  ): Promise<number> {
    if (mediaIds.length === 0) return 0;

    const row = await trx
      .selectFrom('media')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('survey_id', '=', surveyId)
      .where('id', 'in', mediaIds)
      // A photo whose bytes never arrived, or that failed, cannot answer a question.
      .where('status', 'in', ['uploaded', 'processed'])
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async replaceRuleFindings(
    trx: Executor,
    orgId: string,
    surveyId: string,
    findings: readonly Omit<
      FindingRow,
      'created_at' | 'org_id' | 'survey_id' | 'source' | 'media_id'
    >[],
  ): Promise<void> {
    await trx
      .deleteFrom('findings')
      .where('survey_id', '=', surveyId)
      .where('source', '=', 'survey_rules')
      .execute();
    if (findings.length === 0) return;

    await trx
      .insertInto('findings')
      .values(
        findings.map((finding) => ({
          ...finding,
          org_id: orgId,
          survey_id: surveyId,
          source: 'survey_rules' as const,
          media_id: null,
          evidence: JSON.stringify(finding.evidence),
        })),
      )
      .execute();
  }

  async update(
    trx: Executor,
    id: string,
    changes: Partial<{
      status: SurveyStatus;
      started_at: Date;
      submitted_at: Date;
      reviewed_at: Date;
      reviewed_by: string;
      review_note: string | null;
      score: number;
      risk_level: string;
    }>,
  ): Promise<void> {
    await trx
      .updateTable('surveys')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async insert(
    trx: Executor,
    row: {
      id: string;
      orgId: string;
      facilityId: string;
      templateId: string;
      inspectorId: string;
      assignedBy: string;
      dueDate: string | null;
    },
  ): Promise<void> {
    await trx
      .insertInto('surveys')
      .values({
        id: row.id,
        org_id: row.orgId,
        facility_id: row.facilityId,
        template_id: row.templateId,
        inspector_id: row.inspectorId,
        assigned_by: row.assignedBy,
        status: 'assigned',
        due_date: row.dueDate,
        started_at: null,
        submitted_at: null,
        reviewed_at: null,
        reviewed_by: null,
        review_note: null,
        score: null,
        risk_level: null,
        updated_at: new Date(),
      })
      .execute();
  }

  /** Checks that the facility, template and inspector exist in the organisation. */
  async assignmentTargets(
    orgId: string,
    ids: { facilityId: string; templateId: string; inspectorId: string },
  ) {
    const [facility, template, inspector] = await Promise.all([
      this.db
        .selectFrom('facilities')
        .select('id')
        .where('org_id', '=', orgId)
        .where('id', '=', ids.facilityId)
        .executeTakeFirst(),
      this.db
        .selectFrom('templates')
        .select('id')
        .where('org_id', '=', orgId)
        .where('id', '=', ids.templateId)
        .executeTakeFirst(),
      this.db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('org_id', '=', orgId)
        .where('id', '=', ids.inspectorId)
        .executeTakeFirst(),
    ]);
    return { facility, template, inspector };
  }

  managerIds(executor: Executor, orgId: string): Promise<string[]> {
    return executor
      .selectFrom('users')
      .select('id')
      .where('org_id', '=', orgId)
      .where('role', 'in', ['admin', 'manager'])
      .execute()
      .then((rows) => rows.map((row) => row.id));
  }

  private selectSurveys(executor: Executor, orgId: string) {
    return executor
      .selectFrom('surveys as s')
      .innerJoin('facilities as f', 'f.id', 's.facility_id')
      .innerJoin('templates as t', 't.id', 's.template_id')
      .innerJoin('users as u', 'u.id', 's.inspector_id')
      .select([
        's.id',
        's.org_id as orgId',
        's.status',
        's.facility_id as facilityId',
        'f.name as facilityName',
        's.template_id as templateId',
        't.title as templateTitle',
        't.version as templateVersion',
        's.inspector_id as inspectorId',
        'u.name as inspectorName',
        's.due_date as dueDate',
        's.score',
        's.risk_level as riskLevel',
        's.created_at as createdAt',
        's.started_at as startedAt',
        's.submitted_at as submittedAt',
        's.reviewed_at as reviewedAt',
        's.review_note as reviewNote',
      ])
      .where('s.org_id', '=', orgId);
  }
}
