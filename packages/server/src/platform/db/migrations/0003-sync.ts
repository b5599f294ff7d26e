import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Offline sync. sync_changes is read in (tx_id, change_seq) order, like the outbox: a reader
// takes only rows of transactions below the snapshot's xmin, so a row whose transaction commits
// late is never skipped. answer_clocks.tx_id tells the answers trigger whether the clock was set
// by the transaction that writes the answer (a sync push) or must be stamped from the server time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    CREATE TABLE sync_mutations (
      org_id uuid NOT NULL REFERENCES organisations (id),
      client_mutation_id uuid NOT NULL,
      device_id text NOT NULL,
      result jsonb NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, client_mutation_id)
    );

    CREATE TABLE answer_clocks (
      survey_id uuid NOT NULL REFERENCES surveys (id),
      question_id text NOT NULL,
      hlc text NOT NULL,
      device_id text,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      PRIMARY KEY (survey_id, question_id)
    );

    CREATE TABLE sync_conflicts (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organisations (id),
      survey_id uuid NOT NULL REFERENCES surveys (id),
      question_id text NOT NULL,
      winning jsonb NOT NULL,
      losing jsonb NOT NULL,
      winning_hlc text NOT NULL,
      losing_hlc text NOT NULL,
      losing_device_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      resolved_by uuid REFERENCES users (id)
    );
    CREATE INDEX sync_conflicts_survey_idx ON sync_conflicts (org_id, survey_id, created_at);

    CREATE TABLE sync_changes (
      change_seq bigserial NOT NULL,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      org_id uuid NOT NULL,
      survey_id uuid NOT NULL,
      question_id text NOT NULL,
      value jsonb NOT NULL,
      note text,
      hlc text NOT NULL,
      device_id text,
      changed_by uuid NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (change_seq)
    );
    CREATE INDEX sync_changes_position_idx ON sync_changes (org_id, tx_id, change_seq);
  `,
  );
  await sql.raw(RECORD_ANSWER_CHANGE).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER answers_sync_change AFTER INSERT OR UPDATE ON answers
       FOR EACH ROW EXECUTE FUNCTION record_answer_change()`,
    )
    .execute(db);
}

// Every answer write, by any route, lands in sync_changes in the same transaction. A write that
// did not set its clock in this transaction gets a server stamp in the HLC text format
// (13-digit wall milliseconds, 4-hex counter, node id).
// NOTE: the server stamp is not merged with device stamps, so after a device stamp up to the
// allowed drift ahead, a later edit through the answers route carries an older clock. The edit
// is saved, but a device stamp between the two then wins over it.
const RECORD_ANSWER_CHANGE = `
CREATE FUNCTION record_answer_change() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  clock answer_clocks%ROWTYPE;
BEGIN
  SELECT * INTO clock FROM answer_clocks
    WHERE survey_id = NEW.survey_id AND question_id = NEW.question_id
      AND tx_id = pg_current_xact_id();
  IF NOT FOUND THEN
    clock.hlc := lpad(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint::text, 13, '0')
      || '-0000-server';
    clock.device_id := NULL;
    INSERT INTO answer_clocks (survey_id, question_id, hlc, device_id)
      VALUES (NEW.survey_id, NEW.question_id, clock.hlc, NULL)
      ON CONFLICT (survey_id, question_id) DO UPDATE
      SET hlc = EXCLUDED.hlc, device_id = NULL, tx_id = pg_current_xact_id();
  END IF;
  INSERT INTO sync_changes (org_id, survey_id, question_id, value, note, hlc, device_id, changed_by)
    VALUES (NEW.org_id, NEW.survey_id, NEW.question_id, NEW.value, NEW.note, clock.hlc,
      clock.device_id, NEW.updated_by);
  RETURN NEW;
END
$body$`;
