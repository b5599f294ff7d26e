import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// The outbox is read in (tx_id, seq) order: tx_id is the 64-bit id of the writing transaction,
// so a poller can tell which rows belong to transactions that can no longer commit behind it.
// org_id has no foreign key because the event log outlives and audits the rows it describes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE outbox_events (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      topic text NOT NULL,
      org_id uuid NOT NULL,
      payload jsonb NOT NULL,
      schema_version integer NOT NULL,
      traceparent text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX outbox_events_topic_position_idx ON outbox_events (topic, tx_id, seq);

    CREATE TABLE bus_cursors (
      group_name text PRIMARY KEY,
      topic text NOT NULL,
      last_tx_id xid8 NOT NULL DEFAULT '0',
      last_seq bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE bus_deliveries (
      group_name text NOT NULL,
      event_id uuid NOT NULL REFERENCES outbox_events (id),
      topic text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'skipped', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_until timestamptz,
      lease_owner text,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      PRIMARY KEY (group_name, event_id)
    );
    CREATE INDEX bus_deliveries_due_idx ON bus_deliveries (group_name, next_attempt_at)
      WHERE status = 'pending';
    CREATE INDEX bus_deliveries_lease_idx ON bus_deliveries (group_name, lease_until)
      WHERE status = 'running';

    CREATE TABLE bus_dead_letters (
      id uuid PRIMARY KEY,
      group_name text NOT NULL,
      event_id uuid NOT NULL,
      topic text NOT NULL,
      error_message text NOT NULL,
      error_stack text,
      attempts integer NOT NULL,
      dead_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz,
      FOREIGN KEY (group_name, event_id) REFERENCES bus_deliveries (group_name, event_id)
    );
    CREATE INDEX bus_dead_letters_open_idx ON bus_dead_letters (group_name, dead_at)
      WHERE replayed_at IS NULL;
  `,
  );
}
