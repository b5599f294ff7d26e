import type { EventEnvelope } from '@avior/contract';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HandlerOutcome } from './bus.consumer.ts';
import { insertDeadLetter, type Failure } from './dead-letter.repository.ts';
import { toEventEnvelope, type OutboxRow } from './outbox.repository.ts';

/** Delivery leased to this worker. `attempt` fences off writes after the lease is lost. */
export interface DeliveryClaim {
  readonly group: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly workerId: string;
}

export interface ClaimedDelivery extends DeliveryClaim {
  readonly event: EventEnvelope;
}

export interface ClaimRequest {
  readonly groups: readonly string[];
  readonly limit: number;
  readonly leaseMs: number;
  readonly workerId: string;
}

type ClaimedRow = OutboxRow & { readonly group_name: string; readonly attempts: number };

/**
 * Leases up to `limit` due deliveries of the groups to this worker and counts the attempt. A
 * delivery is due when it is pending and its retry time has come, or when it is running under a
 * lease that expired because its worker died or stalled. SKIP LOCKED lets workers claim in
 * parallel without waiting on each other or taking the same row.
 */
export async function claimDue(
  db: Kysely<Database>,
  request: ClaimRequest,
): Promise<readonly ClaimedDelivery[]> {
  if (request.groups.length === 0 || request.limit <= 0) return [];

  const result = await sql<ClaimedRow>`
    WITH due AS (
      SELECT group_name, event_id
      FROM bus_deliveries
      WHERE group_name IN (${sql.join(request.groups)})
        AND ((status = 'pending' AND next_attempt_at <= now())
          OR (status = 'running' AND lease_until < now()))
      ORDER BY next_attempt_at
      LIMIT ${request.limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE bus_deliveries AS d
      SET status = 'running',
          attempts = d.attempts + 1,
          lease_until = now() + ${request.leaseMs} * interval '1 millisecond',
          lease_owner = ${request.workerId}
      FROM due
      WHERE d.group_name = due.group_name AND d.event_id = due.event_id
      RETURNING d.group_name, d.event_id, d.attempts
    )
    SELECT claimed.group_name, claimed.attempts, e.id, e.seq, e.tx_id::text AS tx_id, e.topic,
      e.org_id, e.payload, e.schema_version, e.traceparent, e.created_at
    FROM claimed JOIN outbox_events AS e ON e.id = claimed.event_id
    ORDER BY e.tx_id, e.seq
  `.execute(db);

  return result.rows.map((row) => ({
    group: row.group_name,
    eventId: row.id,
    attempt: row.attempts,
    workerId: request.workerId,
    event: toEventEnvelope(row),
  }));
}

/** Pushes back the lease of deliveries this worker still runs. Returns how many it extended. */
export async function extendLeases(
  db: Kysely<Database>,
  claims: readonly DeliveryClaim[],
  leaseMs: number,
): Promise<number> {
  if (claims.length === 0) return 0;

  const result = await db
    .updateTable('bus_deliveries')
    .set({ lease_until: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where((eb) => eb.or(claims.map((claim) => eb.and(fence(claim)))))
    .executeTakeFirst();

  return Number(result.numUpdatedRows);
}

/**
 * Records a handler's outcome. Any run that succeeded ends the delivery, even one whose lease
 * was taken over, because its effect has happened. Returns false when the delivery had already
 * ended (another run finished or dead-lettered it).
 */
export async function markFinished(
  db: Kysely<Database>,
  claim: DeliveryClaim,
  outcome: HandlerOutcome,
): Promise<boolean> {
  const result = await db
    .updateTable('bus_deliveries')
    .set({
      status: outcome,
      finished_at: sql`now()`,
      lease_until: null,
      last_error: null,
    })
    .where('group_name', '=', claim.group)
    .where('event_id', '=', claim.eventId)
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirst();

  return result.numUpdatedRows > 0n;
}

/** Puts a failed delivery back to pending after `delayMs`. False when the lease was lost. */
export async function scheduleRetry(
  db: Kysely<Database>,
  claim: DeliveryClaim,
  delayMs: number,
  error: string,
): Promise<boolean> {
  const result = await db
    .updateTable('bus_deliveries')
    .set({
      status: 'pending',
      next_attempt_at: sql`now() + ${delayMs} * interval '1 millisecond'`,
      lease_until: null,
      lease_owner: null,
      last_error: error,
    })
    .where((eb) => eb.and(fence(claim)))
    .executeTakeFirst();

  return result.numUpdatedRows > 0n;
}

/** Marks a delivery dead and files its dead letter. Returns false if the lease was lost. */
export async function markDead(
  db: Kysely<Database>,
  claim: DeliveryClaim,
  topic: string,
  failure: Failure,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('bus_deliveries')
      .set({
        status: 'dead',
        finished_at: sql`now()`,
        lease_until: null,
        last_error: failure.message,
      })
      .where((eb) => eb.and(fence(claim)))
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;

    await insertDeadLetter(trx, { ...claim, topic, failure });
    return true;
  });
}

function fence(claim: DeliveryClaim) {
  return {
    group_name: claim.group,
    event_id: claim.eventId,
    status: 'running' as const,
    attempts: claim.attempt,
    lease_owner: claim.workerId,
  };
}
