import { createHash } from 'node:crypto';
import {
  compareHlc,
  formatHlc,
  indexQuestions,
  validateAnswer,
  type AnswerSetMutation,
  type AnswerValue,
  type ConflictQuery,
  type HybridLogicalClock,
  type MutationResult,
  type ResolveConflictBody,
  type SyncChange,
  type SyncConflictView,
  type SyncPullQuery,
  type SyncPullResult,
  type SyncPushBody,
  type TemplateDefinition,
} from '@avior/contract';
import type { Principal } from '../../gateway/auth.ts';
import type { Logger } from '../../platform/telemetry/logger.ts';
import { AppError, invalidState, notFound } from '../../platform/errors/error-catalogue.ts';
import { newId } from '../../platform/ids.ts';
import type { SurveyRecord, SurveysRepository } from '../surveys/surveys.repository.ts';
import { stampProblem } from './sync.clock.ts';
import { decodeCursor, encodeCursor } from './sync.cursor.ts';
import { fieldInvalid } from './sync.errors.ts';
import type { AnswerSide, ConflictRecord, Executor, SyncRepository } from './sync.repository.ts';

// The states the answers route accepts. A submitted survey changes only through review.
const EDITABLE = new Set(['assigned', 'in_progress']);
const DEFAULT_PULL_LIMIT = 200;
const DEFAULT_CONFLICT_LIMIT = 1000;

interface AppliedBatch {
  readonly results: ReadonlyMap<string, MutationResult>;
  /** Stamps of the mutations applied or superseded by this push. */
  readonly accepted: readonly string[];
}

interface StoredState {
  readonly hlc: string | null;
  readonly deviceId: string | null;
  readonly side: AnswerSide | null;
}

/**
 * Offline sync: applies pushed mutations once each with per-answer last-writer-wins by hybrid
 * logical clock, serves changes after a server cursor, and keeps every overwritten value as a
 * conflict a person can resolve.
 */
export class SyncService {
  constructor(
    private readonly sync: SyncRepository,
    private readonly surveys: SurveysRepository,
    private readonly clock: HybridLogicalClock,
    private readonly logger: Logger,
    /** Maximum lead of a pushed stamp over the server clock, in milliseconds. */
    private readonly maxClockLeadMs: number,
  ) {}

  async push(principal: Principal, body: SyncPushBody): Promise<{ results: MutationResult[] }> {
    assertMayWrite(principal, 'push offline changes');
    body.mutations.forEach((mutation, index) => this.checkStamp(mutation, index));

    const firsts = new Map<string, AnswerSetMutation>();
    for (const mutation of body.mutations) {
      if (!firsts.has(mutation.clientMutationId)) firsts.set(mutation.clientMutationId, mutation);
    }
    // One transaction per push: a batch costs one commit, not one per mutation.
    const batch = await this.sync.transaction((trx) =>
      this.applyBatch(trx, principal, body.deviceId, [...firsts.values()]),
    );
    // The server clock stamps conflict resolutions in every organisation, so it merges only
    // committed stamps of mutations this principal was allowed to write.
    for (const stamp of batch.accepted) this.clock.receive(stamp);

    return { results: reportInSentOrder(body.mutations, batch.results) };
  }

  async pull(principal: Principal, query: SyncPullQuery): Promise<SyncPullResult> {
    const after = decodeCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_PULL_LIMIT;
    const rows = await this.sync.changesAfter(principal.orgId, after, {
      limit: limit + 1,
      inspectorId: inspectorScope(principal),
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      changes: page.map(toChange),
      cursor: encodeCursor(last ? { txId: last.txId, seq: last.seq } : after),
      hasMore: rows.length > limit,
    };
  }

  /** Lists conflicts newest first, one page of at most `limit` after the `before` cursor. */
  async conflicts(principal: Principal, query: ConflictQuery): Promise<SyncConflictView[]> {
    if (query.surveyId) await this.findVisibleSurvey(principal, query.surveyId);
    const inspectorId = inspectorScope(principal);
    if (query.before) await this.assertCursorVisible(principal.orgId, query.before, inspectorId);

    const rows = await this.sync.listConflicts(principal.orgId, {
      surveyId: query.surveyId,
      inspectorId,
      openOnly: query.open === true,
      before: query.before,
      limit: query.limit ?? DEFAULT_CONFLICT_LIMIT,
    });
    return rows.map(toConflictView);
  }

  /**
   * Applies the chosen side, or a new value, as a change later than both sides. On a survey that
   * is no longer editable only choose 'winning' succeeds: it keeps the stored answer and marks
   * the conflict resolved without writing.
   */
  async resolve(
    principal: Principal,
    id: string,
    body: ResolveConflictBody,
  ): Promise<SyncConflictView> {
    assertMayWrite(principal, 'resolve sync conflicts');
    const chosen = chosenSide(body);
    const resolved = await this.sync.transaction(async (trx) => {
      const conflict = await this.sync.lockConflict(trx, principal.orgId, id);
      if (!conflict || !mayTouch(principal, conflict.inspectorId)) throw notFound('Conflict', id);
      if (conflict.resolvedAt)
        throw new AppError('CONFLICT', {
          reason: `conflict ${id} is already resolved; list the survey's conflicts to see the resolution`,
        });

      const survey = await this.lockVisible(trx, principal, conflict.surveyId);
      if (EDITABLE.has(survey.status)) {
        const side = chosen ?? (body.choose === 'winning' ? conflict.winning : conflict.losing);
        await this.writeResolution(trx, principal, survey, conflict, side);
      } else if (body.choose !== 'winning') {
        throw invalidState(
          'Survey',
          survey.id,
          survey.status,
          "only choose 'winning' resolves its conflicts; correct the answer through review",
        );
      }
      await this.sync.markResolved(trx, id, principal.userId);
      return this.sync.lockConflict(trx, principal.orgId, id);
    });
    if (!resolved) throw notFound('Conflict', id);
    return toConflictView(resolved);
  }

  private async writeResolution(
    trx: Executor,
    principal: Principal,
    survey: SurveyRecord,
    conflict: ConflictRecord,
    side: AnswerSide,
  ): Promise<void> {
    const value = await this.checkValue(trx, survey, conflict.questionId, side.value);
    const stored = await this.storedState(trx, survey.id, conflict.questionId);
    const hlc = this.stampAfter([conflict.winningHlc, conflict.losingHlc, stored.hlc]);
    await this.writeAnswer(trx, principal, survey, {
      questionId: conflict.questionId,
      side: { value, note: side.note },
      hlc,
      deviceId: null,
    });
  }

  /**
   * Claims every id of the batch first, in id order, then applies the claimed mutations in
   * (survey, question) order. Concurrent pushes so take id claims and survey locks each in one
   * order, and all claims before any survey lock, which keeps them from deadlocking.
   */
  private async applyBatch(
    trx: Executor,
    principal: Principal,
    deviceId: string,
    mutations: readonly AnswerSetMutation[],
  ): Promise<AppliedBatch> {
    const results = new Map<string, MutationResult>();
    const claimed: AnswerSetMutation[] = [];
    for (const mutation of [...mutations].sort(byMutationId)) {
      const earlier = await this.claim(trx, principal.orgId, deviceId, mutation);
      if (earlier) results.set(mutation.clientMutationId, earlier);
      else claimed.push(mutation);
    }

    const accepted: string[] = [];
    for (const mutation of claimed.sort(byLockOrder)) {
      const result = await this.applyOrReject(trx, principal, deviceId, mutation);
      await this.sync.recordResult(trx, principal.orgId, mutation.clientMutationId, result);
      results.set(mutation.clientMutationId, result);
      if (result.status !== 'rejected') accepted.push(mutation.hlc);
    }
    return { results, accepted };
  }

  /**
   * Claims a mutation's id. Returns undefined when this push claimed it, otherwise the result
   * recorded for it earlier. A rejected mutation (a photo not uploaded yet, say) needs a new id
   * to retry.
   */
  private async claim(
    trx: Executor,
    orgId: string,
    deviceId: string,
    mutation: AnswerSetMutation,
  ): Promise<MutationResult | undefined> {
    const fingerprint = fingerprintOf(mutation);
    const claimed = await this.sync.claimMutation(trx, {
      orgId,
      clientMutationId: mutation.clientMutationId,
      deviceId,
      fingerprint,
    });
    if (claimed) return undefined;

    const stored = await this.sync.storedResult(trx, orgId, mutation.clientMutationId);
    if (stored.fingerprint !== null && stored.fingerprint !== fingerprint) {
      return reusedId(mutation.clientMutationId);
    }
    return stored.result as MutationResult;
  }

  private checkStamp(mutation: AnswerSetMutation, index: number): void {
    const problem = stampProblem(mutation.hlc, Date.now(), this.maxClockLeadMs);
    if (!problem) return;

    // The web app finds this rejection by the field name ending in `hlc`, then restamps.
    throw fieldInvalid(
      `body.mutations[${index}].hlc`,
      `of mutation ${mutation.clientMutationId} is invalid: ${problem}`,
    );
  }

  private async applyOrReject(
    trx: Executor,
    principal: Principal,
    deviceId: string,
    mutation: AnswerSetMutation,
  ): Promise<MutationResult> {
    // A refusal undoes only its own mutation's writes; the rest of the batch stands.
    await this.sync.savepoint(trx);
    try {
      const result = await this.apply(trx, principal, deviceId, mutation);
      await this.sync.releaseSavepoint(trx);
      return result;
    } catch (error) {
      // Expected refusals belong to one mutation; anything else fails the batch.
      if (!(error instanceof AppError)) throw error;
      await this.sync.rollbackToSavepoint(trx);

      this.logger.info(
        { orgId: principal.orgId, surveyId: mutation.surveyId, deviceId, code: error.code },
        `sync mutation rejected for mutation ${mutation.clientMutationId}: ${error.message}`,
      );
      return {
        clientMutationId: mutation.clientMutationId,
        status: 'rejected',
        code: error.code,
        message: error.message,
      };
    }
  }

  private async apply(
    trx: Executor,
    principal: Principal,
    deviceId: string,
    mutation: AnswerSetMutation,
  ): Promise<MutationResult> {
    const survey = await this.lockVisible(trx, principal, mutation.surveyId);
    assertEditable(survey);
    const value = await this.checkValue(trx, survey, mutation.questionId, mutation.value);
    const incoming: AnswerSide = { value, note: mutation.note ?? null };
    const stored = await this.storedState(trx, survey.id, mutation.questionId);
    const base = { clientMutationId: mutation.clientMutationId };
    // A device's own later edit is no conflict: a conflict needs two writers. The answers route
    // writes with no device id, so its answers conflict with every device.
    const sameWriter = stored.deviceId === deviceId;

    if (stored.hlc && compareHlc(mutation.hlc, stored.hlc) <= 0) {
      if (sameWriter) return { ...base, status: 'superseded' };

      const conflictId = await this.recordConflict(
        trx,
        principal.orgId,
        survey.id,
        mutation.questionId,
        {
          winning: stored.side ?? { value: null, note: null },
          winningHlc: stored.hlc,
          losing: incoming,
          losingHlc: mutation.hlc,
          losingDeviceId: deviceId,
        },
      );
      return { ...base, status: 'superseded', ...(conflictId ? { conflictId } : {}) };
    }

    await this.writeAnswer(trx, principal, survey, {
      questionId: mutation.questionId,
      side: incoming,
      hlc: mutation.hlc,
      deviceId,
    });
    if (!stored.side || !stored.hlc || sameWriter) return { ...base, status: 'applied' };

    const conflictId = await this.recordConflict(
      trx,
      principal.orgId,
      survey.id,
      mutation.questionId,
      {
        winning: incoming,
        winningHlc: mutation.hlc,
        losing: stored.side,
        losingHlc: stored.hlc,
        losingDeviceId: stored.deviceId,
      },
    );
    return { ...base, status: 'applied', ...(conflictId ? { conflictId } : {}) };
  }

  /** Records a conflict when the two sides differ and returns its id (undefined when equal). */
  private async recordConflict(
    trx: Executor,
    orgId: string,
    surveyId: string,
    questionId: string,
    sides: Pick<
      ConflictRecord,
      'winning' | 'losing' | 'winningHlc' | 'losingHlc' | 'losingDeviceId'
    >,
  ): Promise<string | undefined> {
    if (sameSide(sides.winning, sides.losing)) return undefined;

    const id = newId();
    await this.sync.insertConflict(trx, { id, orgId, surveyId, questionId, ...sides });
    return id;
  }

  private async writeAnswer(
    trx: Executor,
    principal: Principal,
    survey: SurveyRecord,
    change: { questionId: string; side: AnswerSide; hlc: string; deviceId: string | null },
  ): Promise<void> {
    // The clock goes first: the answers trigger keeps a clock set in the same transaction.
    await this.sync.setClock(trx, {
      surveyId: survey.id,
      questionId: change.questionId,
      hlc: change.hlc,
      deviceId: change.deviceId,
    });
    await this.surveys.upsertAnswers(trx, [
      {
        surveyId: survey.id,
        orgId: principal.orgId,
        questionId: change.questionId,
        value: change.side.value,
        note: change.side.note,
        userId: principal.userId,
      },
    ]);
    if (survey.status === 'assigned') {
      await this.surveys.update(trx, survey.id, { status: 'in_progress', started_at: new Date() });
    }
  }

  private async storedState(
    trx: Executor,
    surveyId: string,
    questionId: string,
  ): Promise<StoredState> {
    const { clock, answer } = await this.sync.answerState(trx, surveyId, questionId);
    const side = answer ? { value: answer.value, note: answer.note } : null;
    // An answer written before the sync tables existed has no clock, so its save time is used.
    const fallback = answer
      ? formatHlc({ wallMs: answer.updatedAt.getTime(), counter: 0, node: 'server' })
      : null;
    return { hlc: clock?.hlc ?? fallback, deviceId: clock?.deviceId ?? null, side };
  }

  private stampAfter(stamps: readonly (string | null)[]): string {
    for (const stamp of stamps) if (stamp) this.clock.receive(stamp);
    return this.clock.tick();
  }

  private async assertCursorVisible(
    orgId: string,
    conflictId: string,
    inspectorId: string | undefined,
  ): Promise<void> {
    if (await this.sync.conflictExists(orgId, conflictId, inspectorId)) return;

    throw fieldInvalid(
      'querystring.before',
      `is invalid: conflict ${conflictId} is not found; pass the id of the last conflict of the previous page`,
    );
  }

  private async lockVisible(trx: Executor, principal: Principal, surveyId: string) {
    const survey = await this.surveys.lock(trx, principal.orgId, surveyId);
    if (!survey || !mayTouch(principal, survey.inspectorId)) throw notFound('Survey', surveyId);
    return survey;
  }

  private async findVisibleSurvey(principal: Principal, surveyId: string): Promise<SurveyRecord> {
    const survey = await this.surveys.find(principal.orgId, surveyId);
    if (!survey || !mayTouch(principal, survey.inspectorId)) throw notFound('Survey', surveyId);
    return survey;
  }

  /** Validates a value with the rules of the answers route and returns it normalised. */
  private async checkValue(
    trx: Executor,
    survey: SurveyRecord,
    questionId: string,
    value: unknown,
  ): Promise<AnswerValue | null> {
    const definition: TemplateDefinition = await this.surveys.templateDefinition(
      trx,
      survey.templateId,
    );
    const question = indexQuestions(definition).get(questionId);
    if (!question) throw answerInvalid(questionId, 'the template has no such question');

    const check = validateAnswer(question, value);
    if (!check.ok) throw answerInvalid(questionId, check.message);
    if (question.type !== 'photo' || !Array.isArray(check.value)) return check.value;

    const found = await this.surveys.countMediaInSurvey(trx, survey.id, check.value);
    if (found !== new Set(check.value).size) {
      throw answerInvalid(
        questionId,
        'every media id must be a photo uploaded to this survey and not failed',
      );
    }
    return check.value;
  }
}

function assertEditable(survey: SurveyRecord): void {
  if (EDITABLE.has(survey.status)) return;

  throw invalidState(
    'Survey',
    survey.id,
    survey.status,
    'a submitted survey changes only through review',
  );
}

function assertMayWrite(principal: Principal, action: string): void {
  if (principal.role === 'viewer')
    throw new AppError('FORBIDDEN', { role: principal.role, action });
}

/** Inspectors touch only the surveys assigned to them; other roles every survey of the org. */
function mayTouch(principal: Principal, inspectorId: string): boolean {
  return principal.role !== 'inspector' || principal.userId === inspectorId;
}

function inspectorScope(principal: Principal): string | undefined {
  return principal.role === 'inspector' ? principal.userId : undefined;
}

function chosenSide(body: ResolveConflictBody): AnswerSide | undefined {
  if (body.choose !== 'value') {
    if (body.value !== undefined)
      throw fieldInvalid('body.value', `must be absent when choose is ${body.choose}`);
    return undefined;
  }

  if (body.value === undefined)
    throw fieldInvalid('body.value', 'is required when choose is value');
  return { value: body.value, note: body.note ?? null };
}

function sameSide(a: AnswerSide, b: AnswerSide): boolean {
  return (
    JSON.stringify(a.value) === JSON.stringify(b.value) && (a.note ?? null) === (b.note ?? null)
  );
}

function answerInvalid(questionId: string, reason: string): AppError {
  return new AppError('ANSWER_INVALID', { questionId, reason });
}

function toChange(row: {
  surveyId: string;
  questionId: string;
  value: unknown;
  note: string | null;
  hlc: string;
  deviceId: string | null;
  changedBy: string;
  changedAt: Date;
}): SyncChange {
  return {
    kind: 'answer.set',
    surveyId: row.surveyId,
    questionId: row.questionId,
    value: row.value as AnswerValue | null,
    note: row.note,
    hlc: row.hlc,
    deviceId: row.deviceId,
    changedBy: row.changedBy,
    changedAt: new Date(row.changedAt).toISOString(),
  };
}

function toConflictView(row: ConflictRecord): SyncConflictView {
  return {
    id: row.id,
    surveyId: row.surveyId,
    questionId: row.questionId,
    winning: { value: row.winning.value as AnswerValue | null, note: row.winning.note },
    losing: { value: row.losing.value as AnswerValue | null, note: row.losing.note },
    winningHlc: row.winningHlc,
    losingHlc: row.losingHlc,
    losingDeviceId: row.losingDeviceId,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
  };
}

/** Identifies the change a mutation carries, so a reused id with another change is caught. */
function fingerprintOf(mutation: AnswerSetMutation): string {
  const change = [
    mutation.surveyId,
    mutation.questionId,
    mutation.value,
    mutation.note === undefined ? { noteUnchanged: true } : mutation.note,
    mutation.hlc,
  ];
  return createHash('sha256').update(JSON.stringify(change)).digest('base64url');
}

function reusedId(clientMutationId: string): MutationResult {
  return {
    clientMutationId,
    status: 'rejected',
    code: 'MUTATION_ID_REUSED',
    message: `clientMutationId ${clientMutationId} was already used for a different change; give each change its own id`,
  };
}

/**
 * Lists results in the order the device sent. A repeat of an id within the batch is a duplicate
 * when it carries the same change as the first, and rejected when it carries another.
 */
function reportInSentOrder(
  mutations: readonly AnswerSetMutation[],
  results: ReadonlyMap<string, MutationResult>,
): MutationResult[] {
  const firstFingerprints = new Map<string, string>();
  return mutations.map((mutation): MutationResult => {
    const id = mutation.clientMutationId;
    const fingerprint = fingerprintOf(mutation);
    const first = firstFingerprints.get(id);
    if (first === undefined) {
      firstFingerprints.set(id, fingerprint);
      return results.get(id)!;
    }
    return first === fingerprint ? { clientMutationId: id, status: 'duplicate' } : reusedId(id);
  });
}

/** Orders mutations as PostgreSQL orders their ids as uuid values, so letter case is ignored. */
function byMutationId(a: AnswerSetMutation, b: AnswerSetMutation): number {
  const left = a.clientMutationId.toLowerCase();
  const right = b.clientMutationId.toLowerCase();
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function byLockOrder(a: AnswerSetMutation, b: AnswerSetMutation): number {
  return (
    a.surveyId.localeCompare(b.surveyId) ||
    a.questionId.localeCompare(b.questionId) ||
    a.clientMutationId.localeCompare(b.clientMutationId)
  );
}
