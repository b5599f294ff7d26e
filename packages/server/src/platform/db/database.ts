import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite engine is used. */
  readonly url?: string | undefined;
  /** Folder of the embedded database, or `memory://` for a throwaway one. */
  readonly dataDir: string;
  /** Connections in the PostgreSQL pool. */
  readonly poolSize?: number;
  /** Called when an idle pooled connection fails; the pool replaces it. */
  readonly onIdleError?: (error: Error) => void;
}

export interface DatabaseHandle {
  readonly db: Db;
  readonly engine: 'postgres' | 'pglite';
  close(): Promise<void>;
}

// pg returns int8 (count(*), sums) as a string. The int8 values this code reads stay far below
// 2^53, so they are parsed as numbers to match what PGlite returns.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
const PGLITE_DATE_OID = 1082;

/**
 * Opens the database: PostgreSQL when `url` is set, otherwise PGlite in `dataDir`.
 *
 * @example
 * const { db, close } = await openDatabase({ dataDir: './data/db' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection closed by the server (restart, failover, idle timeout) is reported
    // here; without a listener it would crash the process. The pool opens a new one on demand.
    pool.on('error', (error) => options.onIdleError?.(error));
    return wrap(new PostgresDialect({ pool }), 'postgres');
  }

  const inMemory = options.dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataDir(options.dataDir);
  try {
    const pglite = await PGlite.create(options.dataDir, {
      parsers: { [PGLITE_DATE_OID]: (value: string) => value },
    });
    return wrap(new PGliteDialect(pglite), 'pglite', unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

function wrap(
  dialect: Dialect,
  engine: DatabaseHandle['engine'],
  release: () => void = () => undefined,
): DatabaseHandle {
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    engine,
    close: async () => {
      await db.destroy();
      release();
    },
  };
}
