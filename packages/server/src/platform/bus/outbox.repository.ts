import {
  SCHEMA_VERSIONS,
  type EventEnvelope,
  type EventPayloads,
  type Topic,
} from '@avior/contract';
import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.ts';
import type { OutboxEventsTable } from './bus.schema.ts';
import { currentTrace } from '../telemetry/trace-context.ts';

export interface NewEvent<T extends Topic> {
  readonly topic: T;
  readonly orgId: string;
  readonly payload: EventPayloads[T];
  /** W3C `traceparent` header of the request that caused the event. */
  readonly traceparent?: string | null | undefined;
}

export type OutboxRow = Selectable<OutboxEventsTable>;

// W3C Trace Context level 1, section 3.2: version 00, 16-byte trace id, 8-byte parent id, flags.
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Inserts an event into the outbox and returns its id (a UUIDv7). Call it with the transaction
 * that writes the change the event announces: the event then exists if and only if the change
 * commits. Without a `traceparent` the event carries the current trace (the request's, or the
 * handled event's). One that is not a valid W3C header is stored as null rather than failing
 * the caller's transaction.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('surveys').set({ status: 'submitted' }).where('id', '=', id).execute();
 *   await appendEvent(trx, { topic: 'survey.submitted', orgId, payload: { surveyId: id } });
 * });
 * bus.wake();
 */
export async function appendEvent<T extends Topic>(
  trx: Kysely<Database>,
  event: NewEvent<T>,
): Promise<string> {
  const schemaVersion = SCHEMA_VERSIONS[event.topic];
  if (schemaVersion === undefined) throw new TypeError(`Unknown event topic: ${event.topic}`);

  const id = uuidv7();
  await trx
    .insertInto('outbox_events')
    .values({
      id,
      topic: event.topic,
      org_id: event.orgId,
      payload: JSON.stringify(event.payload),
      schema_version: schemaVersion,
      traceparent: validTraceparent(event.traceparent ?? currentTrace()?.traceparent),
    })
    .execute();

  return id;
}

/** Reads an outbox row as the envelope handlers receive. */
export function toEventEnvelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    topic: row.topic as Topic,
    orgId: row.org_id,
    payload: row.payload as EventPayloads[Topic],
    schemaVersion: row.schema_version,
    traceparent: row.traceparent,
    createdAt: row.created_at,
  };
}

/** Returns one event by id, or undefined when there is none. */
export async function getEvent(
  db: Kysely<Database>,
  id: string,
): Promise<EventEnvelope | undefined> {
  const row = await db
    .selectFrom('outbox_events')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();

  return row && toEventEnvelope(row);
}

/**
 * Narrows an envelope to one topic, so its payload is typed.
 *
 * @example
 * if (isEventOf(event, 'survey.submitted')) console.log(event.payload.surveyId);
 */
export function isEventOf<T extends Topic>(
  event: EventEnvelope,
  topic: T,
): event is EventEnvelope<T> {
  return event.topic === topic;
}

function validTraceparent(value: string | null | undefined): string | null {
  if (!value) return null;

  return TRACEPARENT.test(value) ? value : null;
}
