import type { Generated, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';

type SyncMutationsTable = {
  org_id: string;
  client_mutation_id: string;
  device_id: string;
  result: unknown;
  fingerprint: string | null;
  applied_at: Generated<Date>;
};

type AnswerClocksTable = {
  survey_id: string;
  question_id: string;
  hlc: string;
  device_id: string | null;
  tx_id: Generated<string>;
};

type SyncConflictsTable = {
  id: string;
  org_id: string;
  survey_id: string;
  question_id: string;
  winning: unknown;
  losing: unknown;
  winning_hlc: string;
  losing_hlc: string;
  losing_device_id: string | null;
  created_at: Generated<Date>;
  resolved_at: Date | null;
  resolved_by: string | null;
};

type SyncTables = {
  sync_mutations: SyncMutationsTable;
  answer_clocks: AnswerClocksTable;
  sync_conflicts: SyncConflictsTable;
};

type SyncDb = Kysely<Database & SyncTables>;
export type Executor = Kysely<Database>;

/** A stored answer value with its note, as kept on either side of a conflict. */
export interface AnswerSide {
  readonly value: unknown;
  readonly note: string | null;
}

export interface ConflictRecord {
  readonly id: string;
  readonly surveyId: string;
  readonly questionId: string;
  readonly winning: AnswerSide;
  readonly losing: AnswerSide;
  readonly winningHlc: string;
  readonly losingHlc: string;
  readonly losingDeviceId: string | null;
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
}

export interface ConflictFilter {
  readonly surveyId?: string | undefined;
  readonly inspectorId?: string | undefined;
  /** Only conflicts not resolved yet. */
  readonly openOnly: boolean;
  /** Id of a conflict: only conflicts created before it are listed. */
  readonly before?: string | undefined;
  readonly limit: number;
}

export interface ChangeRecord {
  readonly txId: string;
  readonly seq: number;
  readonly surveyId: string;
  readonly questionId: string;
  readonly value: unknown;
  readonly note: string | null;
  readonly hlc: string;
  readonly deviceId: string | null;
  readonly changedBy: string;
  readonly changedAt: Date;
}

export interface ChangePosition {
  readonly txId: string;
  readonly seq: number;
}

const withSync = (executor: Executor): SyncDb => executor.withTables<SyncTables>();

export class SyncRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * Claims a client mutation id. Returns false when it was claimed before; a concurrent claim
   * of the same id waits on the primary key until the first transaction ends.
   */
  async claimMutation(
    trx: Executor,
    row: { orgId: string; clientMutationId: string; deviceId: string; fingerprint: string },
  ): Promise<boolean> {
    const inserted = await withSync(trx)
      .insertInto('sync_mutations')
      .values({
        org_id: row.orgId,
        client_mutation_id: row.clientMutationId,
        device_id: row.deviceId,
        fingerprint: row.fingerprint,
        result: JSON.stringify({ status: 'pending' }),
      })
      .onConflict((oc) => oc.columns(['org_id', 'client_mutation_id']).doNothing())
      .returning('client_mutation_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Marks a point in the transaction that rollbackToSavepoint returns to. */
  async savepoint(trx: Executor): Promise<void> {
    await sql`SAVEPOINT sync_mutation`.execute(trx);
  }

  async releaseSavepoint(trx: Executor): Promise<void> {
    await sql`RELEASE SAVEPOINT sync_mutation`.execute(trx);
  }

  /** Undoes the writes made since savepoint() and keeps the transaction open. */
  async rollbackToSavepoint(trx: Executor): Promise<void> {
    await sql`ROLLBACK TO SAVEPOINT sync_mutation`.execute(trx);
    await sql`RELEASE SAVEPOINT sync_mutation`.execute(trx);
  }

  /** The result recorded for a client mutation id, and the fingerprint of its change. */
  async storedResult(
    trx: Executor,
    orgId: string,
    clientMutationId: string,
  ): Promise<{ result: unknown; fingerprint: string | null }> {
    return withSync(trx)
      .selectFrom('sync_mutations')
      .select(['result', 'fingerprint'])
      .where('org_id', '=', orgId)
      .where('client_mutation_id', '=', clientMutationId)
      .executeTakeFirstOrThrow();
  }

  async recordResult(
    trx: Executor,
    orgId: string,
    clientMutationId: string,
    result: object,
  ): Promise<void> {
    await withSync(trx)
      .updateTable('sync_mutations')
      .set({ result: JSON.stringify(result) })
      .where('org_id', '=', orgId)
      .where('client_mutation_id', '=', clientMutationId)
      .execute();
  }

  async answerState(trx: Executor, surveyId: string, questionId: string) {
    const [clock, answer] = await Promise.all([
      withSync(trx)
        .selectFrom('answer_clocks')
        .select(['hlc', 'device_id as deviceId'])
        .where('survey_id', '=', surveyId)
        .where('question_id', '=', questionId)
        .executeTakeFirst(),
      trx
        .selectFrom('answers')
        .select(['value', 'note', 'updated_at as updatedAt'])
        .where('survey_id', '=', surveyId)
        .where('question_id', '=', questionId)
        .executeTakeFirst(),
    ]);
    return { clock, answer };
  }

  /** Sets the answer's clock in this transaction, so the answers trigger keeps it. */
  async setClock(
    trx: Executor,
    row: { surveyId: string; questionId: string; hlc: string; deviceId: string | null },
  ): Promise<void> {
    await withSync(trx)
      .insertInto('answer_clocks')
      .values({
        survey_id: row.surveyId,
        question_id: row.questionId,
        hlc: row.hlc,
        device_id: row.deviceId,
      })
      .onConflict((oc) =>
        oc.columns(['survey_id', 'question_id']).doUpdateSet({
          hlc: row.hlc,
          device_id: row.deviceId,
          tx_id: sql<string>`pg_current_xact_id()`,
        }),
      )
      .execute();
  }

  async insertConflict(
    trx: Executor,
    row: Omit<ConflictRecord, 'createdAt' | 'resolvedAt' | 'resolvedBy'> & { orgId: string },
  ): Promise<void> {
    await withSync(trx)
      .insertInto('sync_conflicts')
      .values({
        id: row.id,
        org_id: row.orgId,
        survey_id: row.surveyId,
        question_id: row.questionId,
        winning: JSON.stringify(row.winning),
        losing: JSON.stringify(row.losing),
        winning_hlc: row.winningHlc,
        losing_hlc: row.losingHlc,
        losing_device_id: row.losingDeviceId,
        resolved_at: null,
        resolved_by: null,
      })
      .execute();
  }

  /** Lists conflicts newest first; `before` is the id of the last conflict of the page before. */
  listConflicts(orgId: string, filter: ConflictFilter): Promise<ConflictRecord[]> {
    let query = this.selectConflicts(this.db, orgId);
    if (filter.surveyId) query = query.where('c.survey_id', '=', filter.surveyId);
    if (filter.inspectorId) query = query.where('s.inspector_id', '=', filter.inspectorId);
    if (filter.openOnly) query = query.where('c.resolved_at', 'is', null);
    // The cursor's position is read in SQL: created_at has microseconds, a JavaScript Date only
    // milliseconds, so a round trip through the client would skip or repeat rows.
    if (filter.before) {
      query = query.where(
        sql<boolean>`(c.created_at, c.id) < (SELECT created_at, id FROM sync_conflicts WHERE id = ${filter.before})`,
      );
    }
    return query
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  async conflictExists(
    orgId: string,
    id: string,
    inspectorId: string | undefined,
  ): Promise<boolean> {
    let query = this.selectConflicts(this.db, orgId).where('c.id', '=', id);
    if (inspectorId) query = query.where('s.inspector_id', '=', inspectorId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  async lockConflict(
    trx: Executor,
    orgId: string,
    id: string,
  ): Promise<(ConflictRecord & { inspectorId: string }) | undefined> {
    return this.selectConflicts(trx, orgId)
      .select('s.inspector_id as inspectorId')
      .where('c.id', '=', id)
      .forUpdate('c')
      .executeTakeFirst();
  }

  async markResolved(trx: Executor, id: string, userId: string): Promise<void> {
    await withSync(trx)
      .updateTable('sync_conflicts')
      .set({ resolved_at: new Date(), resolved_by: userId })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Reads changes after a position, oldest first. Only rows of transactions below the snapshot's
   * xmin are read: every such transaction has ended, so no row can later appear behind the
   * returned position.
   */
  async changesAfter(
    orgId: string,
    after: ChangePosition,
    options: { limit: number; inspectorId?: string | undefined },
  ): Promise<ChangeRecord[]> {
    const inspectorFilter = options.inspectorId
      ? sql`AND s.inspector_id = ${options.inspectorId}`
      : sql``;
    const result = await sql<ChangeRecord>`
      SELECT c.tx_id::text AS "txId", c.change_seq AS seq, c.survey_id AS "surveyId",
        c.question_id AS "questionId", c.value, c.note, c.hlc, c.device_id AS "deviceId",
        c.changed_by AS "changedBy", c.changed_at AS "changedAt"
      FROM sync_changes c
      JOIN surveys s ON s.id = c.survey_id AND s.org_id = c.org_id
      WHERE c.org_id = ${orgId}
        AND (c.tx_id, c.change_seq) > (${after.txId}::xid8, ${after.seq}::bigint)
        AND c.tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ${inspectorFilter}
      ORDER BY c.tx_id, c.change_seq
      LIMIT ${options.limit}
    `.execute(this.db);
    return result.rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  private selectConflicts(executor: Executor, orgId: string) {
    return withSync(executor)
      .selectFrom('sync_conflicts as c')
      .innerJoin('surveys as s', 's.id', 'c.survey_id')
      .select([
        'c.id',
        'c.survey_id as surveyId',
        'c.question_id as questionId',
        'c.winning',
        'c.losing',
        'c.winning_hlc as winningHlc',
        'c.losing_hlc as losingHlc',
        'c.losing_device_id as losingDeviceId',
        'c.created_at as createdAt',
        'c.resolved_at as resolvedAt',
        'c.resolved_by as resolvedBy',
      ])
      .$narrowType<{ winning: AnswerSide; losing: AnswerSide }>()
      .where('c.org_id', '=', orgId);
  }
}
