import type { SyncChange, SyncPullResult } from '@avior/contract';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import { callApi, type ApiSession } from './bench.api.ts';

/** The sync state stored for one organisation after the pushes. */
export interface StoredSyncState {
  /** Stored push result by client mutation id. */
  readonly mutations: ReadonlyMap<string, unknown>;
  /** Answer by `answerKey(surveyId, questionId)`. */
  readonly answers: ReadonlyMap<string, { readonly value: unknown; readonly note: string | null }>;
  /** HLC of each answer's clock, by answer key. */
  readonly clocks: ReadonlyMap<string, string>;
  /** Ids of the recorded conflicts, by answer key. */
  readonly conflicts: ReadonlyMap<string, readonly string[]>;
  /** Rows of the change log that the pull API serves. */
  readonly changes: number;
}

const PULL_PAGE = 1000;
/** Extra pulls, as a device would repeat them, while an open transaction hides changes. */
const PULL_RETRIES = 20;
const PULL_RETRY_MS = 250;

export function answerKey(surveyId: string, questionId: string): string {
  return `${surveyId}/${questionId}`;
}

/**
 * Waits until the organisation's recorded mutations stop changing for a second, at most
 * `timeoutMs`. A push whose client timed out may still be running on the server.
 */
export async function waitForRecordedMutations(
  db: Db,
  orgId: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  while (Date.now() < deadline) {
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM sync_mutations WHERE org_id = ${orgId}
    `.execute(db);
    const count = rows[0]?.count ?? 0;
    if (count === previous) return;

    previous = count;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Reads the organisation's sync mutations, answers, answer clocks and conflicts. */
export async function readStoredState(db: Db, orgId: string): Promise<StoredSyncState> {
  const mutations = await sql<{ id: string; result: unknown }>`
    SELECT client_mutation_id::text AS id, result FROM sync_mutations WHERE org_id = ${orgId}
  `.execute(db);
  const answers = await sql<{
    surveyId: string;
    questionId: string;
    value: unknown;
    note: string | null;
  }>`
    SELECT survey_id::text AS "surveyId", question_id AS "questionId", value, note
    FROM answers WHERE org_id = ${orgId}
  `.execute(db);
  const clocks = await sql<{ surveyId: string; questionId: string; hlc: string }>`
    SELECT c.survey_id::text AS "surveyId", c.question_id AS "questionId", c.hlc
    FROM answer_clocks c JOIN surveys s ON s.id = c.survey_id
    WHERE s.org_id = ${orgId}
  `.execute(db);
  const conflicts = await sql<{ id: string; surveyId: string; questionId: string }>`
    SELECT id::text AS id, survey_id::text AS "surveyId", question_id AS "questionId"
    FROM sync_conflicts WHERE org_id = ${orgId}
  `.execute(db);

  const changes = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM sync_changes WHERE org_id = ${orgId}
  `.execute(db);

  const conflictIds = new Map<string, string[]>();
  for (const row of conflicts.rows) {
    const key = answerKey(row.surveyId, row.questionId);
    conflictIds.set(key, [...(conflictIds.get(key) ?? []), row.id]);
  }
  return {
    mutations: new Map(mutations.rows.map((row) => [row.id, row.result])),
    answers: new Map(
      answers.rows.map((row) => [
        answerKey(row.surveyId, row.questionId),
        { value: row.value, note: row.note },
      ]),
    ),
    clocks: new Map(clocks.rows.map((row) => [answerKey(row.surveyId, row.questionId), row.hlc])),
    conflicts: conflictIds,
    changes: changes.rows[0]?.count ?? 0,
  };
}

/**
 * Pulls every change visible to the session from the start, pages of 1000, through
 * GET /v1/sync/pull. When fewer than `expected` changes came back, it pulls again from the last
 * cursor a few times, because the pull hides changes behind a transaction still open.
 */
export async function pullEverything(session: ApiSession, expected: number): Promise<SyncChange[]> {
  const changes: SyncChange[] = [];
  let cursor = '';
  let retries = 0;
  const maxPages = Math.ceil(expected / PULL_PAGE) + PULL_RETRIES + 10;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await callApi<SyncPullResult>(
      session,
      'GET',
      `/v1/sync/pull?limit=${PULL_PAGE}&cursor=${cursor}`,
    );
    changes.push(...result.changes);
    cursor = result.cursor;
    if (result.hasMore) continue;
    if (changes.length >= expected || retries >= PULL_RETRIES) return changes;

    retries += 1;
    await new Promise((resolve) => setTimeout(resolve, PULL_RETRY_MS));
  }

  return changes;
}
