import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

const SESSION_END_WAIT_MS = 5_000;

export interface TestDatabase {
  readonly db: Db;
  readonly engine: DatabaseHandle['engine'];
  /** Connection string of the throwaway PostgreSQL database, or undefined on PGlite. */
  readonly url?: string;
  /** Closes the connections and, on PostgreSQL, drops the database. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Part of the database name avior_test_<label>_<hex>: lowercase letters, digits and _. */
  readonly label?: string;
}

/**
 * Opens a migrated, empty database for one test file. When DATABASE_URL is set, it creates a
 * fresh database on that PostgreSQL server and uses the URL's own database only to run CREATE
 * and DROP DATABASE. Otherwise it opens an in-memory PGlite.
 *
 * @example
 * const { db, close } = await createTestDatabase({ label: 'bus' });
 * afterAll(close);
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'];
  const handle = serverUrl
    ? await createPostgresDatabase(serverUrl, options.label)
    : await openPglite();

  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }

  return handle;
}

async function openPglite(): Promise<TestDatabase> {
  const { db, engine, close } = await openDatabase({ dataDir: 'memory://' });

  return { db, engine, close };
}

async function createPostgresDatabase(serverUrl: string, label = 'db'): Promise<TestDatabase> {
  const scratch = await createScratchDatabase(serverUrl, label);
  const { db, engine, close } = await openDatabase({ url: scratch.url, dataDir: 'memory://' });

  return {
    db,
    engine,
    url: scratch.url,
    close: async () => {
      await close();
      await scratch.drop();
    },
  };
}

/**
 * Creates an empty database named avior_test_<label>_<hex> on the server of `serverUrl` and
 * returns its URL and a function that drops it once its sessions have ended.
 */
export async function createScratchDatabase(
  serverUrl: string,
  label = 'db',
): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^[a-z0-9_]+$/.test(label)) {
    throw new RangeError(`Test database label ${label} may hold only a-z, 0-9 and _`);
  }

  const name = `avior_test_${label}_${randomBytes(6).toString('hex')}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE ${name}`);

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => dropDatabase(serverUrl, name) };
}

// The pool's sessions end a moment after the pool resolves its end(), so the drop waits for
// them. FORCE (PostgreSQL 13 and later) then ends any left by a child process a test killed,
// without cutting a session of this process that is still closing.
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const deadline = Date.now() + SESSION_END_WAIT_MS;
    while (Date.now() < deadline && (await countSessions(client, name)) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function countSessions(client: pg.Client, name: string): Promise<number> {
  const result = await client.query<{ sessions: number }>(
    'SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1',
    [name],
  );

  return result.rows[0]?.sessions ?? 0;
}

async function runAdminStatement(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
