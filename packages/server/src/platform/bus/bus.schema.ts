import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** A 64-bit transaction id (`xid8`), read as its decimal text form. */
type TransactionId = ColumnType<string, never, never>;

export type DeliveryStatus = 'pending' | 'running' | 'done' | 'skipped' | 'dead';

/** One event, written in the same transaction as the change it announces. */
export interface OutboxEventsTable {
  id: string;
  seq: ColumnType<number, never, never>;
  tx_id: TransactionId;
  topic: string;
  org_id: string;
  payload: ColumnType<unknown, string, never>;
  schema_version: number;
  traceparent: string | null;
  created_at: CreatedAt;
}

/** How far one consumer group has fanned the outbox out into deliveries. */
export interface BusCursorsTable {
  group_name: string;
  topic: string;
  last_tx_id: ColumnType<string, string | undefined, string>;
  last_seq: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The state of one event for one consumer group. */
export interface BusDeliveriesTable {
  group_name: string;
  event_id: string;
  topic: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_until: Timestamp | null;
  lease_owner: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** A delivery that ran out of attempts or failed permanently, kept for operators. */
export interface BusDeadLettersTable {
  id: string;
  group_name: string;
  event_id: string;
  topic: string;
  error_message: string;
  error_stack: string | null;
  attempts: number;
  dead_at: CreatedAt;
  replayed_at: Timestamp | null;
}

export interface BusTables {
  outbox_events: OutboxEventsTable;
  bus_cursors: BusCursorsTable;
  bus_deliveries: BusDeliveriesTable;
  bus_dead_letters: BusDeadLettersTable;
}
