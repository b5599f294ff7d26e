import { sql, type Kysely } from 'kysely';

/**
 * Runs a script of DDL statements one by one. PGlite's query path takes one statement per
 * call, so a script is split at each semicolon that ends a line.
 */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
