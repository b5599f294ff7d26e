import { Migrator, type MigrationResult } from 'kysely';
import type { Db } from './database.ts';
import { migrations } from './migrations/index.ts';

/**
 * Brings the schema up to date. Safe to call from several processes at once: Kysely takes an
 * advisory lock on PostgreSQL, and PGlite has one connection.
 */
export async function migrateToLatest(db: Db): Promise<readonly MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;

  return results ?? [];
}
