import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// A client mutation id names one change. The fingerprint of the change it was first used for
// lets a push tell a retried mutation from a different change sent under a reused id. Rows
// recorded before this column existed have none and are treated as retries.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `ALTER TABLE sync_mutations ADD COLUMN fingerprint text;`);
}
