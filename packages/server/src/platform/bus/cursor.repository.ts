import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface GroupTopic {
  readonly name: string;
  readonly topic: string;
}

interface OutboxPosition {
  readonly id: string;
  readonly tx_id: string;
  readonly seq: number;
}

/**
 * Creates the cursor of each group that has none, at the start of the outbox. Rejects a group
 * whose stored topic differs, because its cursor position would mean nothing for the new topic.
 */
export async function ensureCursors(
  db: Kysely<Database>,
  groups: readonly GroupTopic[],
): Promise<void> {
  if (groups.length === 0) return;

  await db
    .insertInto('bus_cursors')
    .values(groups.map((group) => ({ group_name: group.name, topic: group.topic })))
    .onConflict((conflict) => conflict.column('group_name').doNothing())
    .execute();

  const stored = await db
    .selectFrom('bus_cursors')
    .select(['group_name', 'topic'])
    .where(
      'group_name',
      'in',
      groups.map((group) => group.name),
    )
    .execute();
  for (const group of groups) assertSameTopic(group, stored);
}

/**
 * Turns the next outbox events of a group's topic into pending deliveries and moves the group's
 * cursor past them, in one transaction. Returns how many events it read, or 0 when another process
 * has the cursor locked.
 *
 * Only rows of transactions below the snapshot's xmin are read. Every transaction below xmin
 * has ended, so no row can later appear behind the cursor, even though transactions commit in
 * a different order from the one their `seq` values were drawn in.
 */
export async function fanOut(
  db: Kysely<Database>,
  group: GroupTopic,
  batchSize: number,
): Promise<number> {
  if (!(await hasNewEvents(db, group))) return 0;

  return db.transaction().execute(async (trx) => {
    const cursor = await trx
      .selectFrom('bus_cursors')
      .select(['last_tx_id', 'last_seq'])
      .where('group_name', '=', group.name)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!cursor) return 0;

    const events = await readAfter(trx, group.topic, cursor.last_tx_id, cursor.last_seq, batchSize);
    const last = events.at(-1);
    if (!last) return 0;

    await insertPending(trx, group, events);
    await trx
      .updateTable('bus_cursors')
      .set({ last_tx_id: last.tx_id, last_seq: last.seq, updated_at: sql`now()` })
      .where('group_name', '=', group.name)
      .execute();

    return events.length;
  });
}

// Locking the cursor row writes to the database, so an idle poll checks without a lock first.
async function hasNewEvents(db: Kysely<Database>, group: GroupTopic): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1
      FROM bus_cursors AS c
      JOIN outbox_events AS e ON e.topic = c.topic
      WHERE c.group_name = ${group.name}
        AND (e.tx_id, e.seq) > (c.last_tx_id, c.last_seq)
        AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
    ) AS found
  `.execute(db);

  return result.rows[0]?.found === true;
}

async function readAfter(
  trx: Kysely<Database>,
  topic: string,
  lastTxId: string,
  lastSeq: number,
  limit: number,
): Promise<readonly OutboxPosition[]> {
  const result = await sql<OutboxPosition>`
    SELECT id, tx_id::text AS tx_id, seq
    FROM outbox_events
    WHERE topic = ${topic}
      AND (tx_id, seq) > (${lastTxId}::xid8, ${lastSeq}::bigint)
      AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY tx_id, seq
    LIMIT ${limit}
  `.execute(trx);

  return result.rows;
}

async function insertPending(
  trx: Kysely<Database>,
  group: GroupTopic,
  events: readonly OutboxPosition[],
): Promise<void> {
  const rows = events.map((event) => ({
    group_name: group.name,
    event_id: event.id,
    topic: group.topic,
    status: 'pending' as const,
  }));

  // The cursor lock already keeps two processes off one range. The primary key is a second guard.
  await trx
    .insertInto('bus_deliveries')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['group_name', 'event_id']).doNothing())
    .execute();
}

function assertSameTopic(
  group: GroupTopic,
  stored: readonly { group_name: string; topic: string }[],
): void {
  const row = stored.find((candidate) => candidate.group_name === group.name);
  if (!row || row.topic === group.topic) return;

  throw new Error(
    `Consumer group ${group.name} is stored for topic ${row.topic} but now declares ` +
      `${group.topic}: give the group a new name so it starts a new cursor`,
  );
}
