import { sql, type Kysely, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.ts';

/** Error text kept with a dead letter: the message and the first lines of the stack. */
export interface Failure {
  readonly message: string;
  readonly stack: string | null;
}

export interface DeadLetter {
  readonly id: string;
  readonly group: string;
  readonly eventId: string;
  readonly topic: string;
  readonly errorMessage: string;
  readonly errorStack: string | null;
  readonly attempts: number;
  readonly deadAt: Date;
  readonly replayedAt: Date | null;
}

export interface ListDeadLettersOptions {
  /** Rows to return, newest first, from 1 to 1000. */
  readonly limit: number;
  readonly group?: string;
  /** Whether to include letters already replayed, which stay as a history of failures. */
  readonly includeReplayed?: boolean;
}

interface NewDeadLetter {
  readonly group: string;
  readonly eventId: string;
  readonly topic: string;
  readonly attempt: number;
  readonly failure: Failure;
}

const MAX_LIST_LIMIT = 1_000;

export async function insertDeadLetter(
  trx: Kysely<Database>,
  letter: NewDeadLetter,
): Promise<void> {
  await trx
    .insertInto('bus_dead_letters')
    .values({
      id: uuidv7(),
      group_name: letter.group,
      event_id: letter.eventId,
      topic: letter.topic,
      error_message: letter.failure.message,
      error_stack: letter.failure.stack,
      attempts: letter.attempt,
    })
    .execute();
}

/**
 * Lists dead letters, newest first.
 *
 * @example
 * const letters = await listDeadLetters(db, { limit: 50, group: 'reports.generator' });
 */
export async function listDeadLetters(
  db: Kysely<Database>,
  options: ListDeadLettersOptions,
): Promise<readonly DeadLetter[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIST_LIMIT) {
    throw new RangeError(`Dead letter limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }

  let query = db.selectFrom('bus_dead_letters').selectAll().orderBy('dead_at', 'desc');
  if (options.group !== undefined) query = query.where('group_name', '=', options.group);
  if (!options.includeReplayed) query = query.where('replayed_at', 'is', null);

  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    group: row.group_name,
    eventId: row.event_id,
    topic: row.topic,
    errorMessage: row.error_message,
    errorStack: row.error_stack,
    attempts: row.attempts,
    deadAt: row.dead_at,
    replayedAt: row.replayed_at,
  }));
}

/**
 * Sends one dead-lettered delivery back to its group: the delivery returns to pending with
 * attempts 0, and the letter is stamped `replayed_at` and kept. If the replay fails again, a new
 * letter is filed, so the history of failures survives. Returns false when the letter does not
 * exist or was already replayed.
 *
 * @example
 * await replayDeadLetter(db, letter.id);
 */
export async function replayDeadLetter(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await replay(db, sql`id = ${id}`)) > 0;
}

/**
 * Replays every dead letter not yet replayed, of one group or of all. Returns how many
 * deliveries it sent back.
 *
 * @example
 * const count = await replayAllDeadLetters(db, { group: 'reports.generator' });
 */
export async function replayAllDeadLetters(
  db: Kysely<Database>,
  options: { readonly group?: string } = {},
): Promise<number> {
  const filter = options.group === undefined ? sql`true` : sql`group_name = ${options.group}`;

  return replay(db, filter);
}

// One statement stamps the letters and resets their deliveries, so a letter filed while it
// runs is either replayed with its delivery or left alone, never stamped without its reset.
async function replay(db: Kysely<Database>, filter: RawBuilder<unknown>): Promise<number> {
  const result = await sql`
    WITH letters AS (
      UPDATE bus_dead_letters
      SET replayed_at = now()
      WHERE replayed_at IS NULL AND ${filter}
      RETURNING group_name, event_id
    )
    UPDATE bus_deliveries AS d
    SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
        lease_owner = NULL, finished_at = NULL
    FROM letters
    WHERE d.group_name = letters.group_name AND d.event_id = letters.event_id
      AND d.status = 'dead'
  `.execute(db);

  return Number(result.numAffectedRows ?? 0n);
}
