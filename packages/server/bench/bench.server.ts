import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { startAvior, type RunningAvior } from '../src/runtime.ts';
import { createScratchDatabase } from './bench.database.ts';

/** Avior listening on 127.0.0.1 with its own data folder and database. */
export interface BenchServer {
  readonly running: RunningAvior;
  readonly url: string;
  /** `postgres` or `pglite`, with the engine's version string. */
  readonly engine: string;
  /** Drains the event bus, then waits until the API accepts requests again. */
  settle(timeoutMs: number): Promise<number>;
  /** Waits until the API stops shedding requests with 503; returns the milliseconds it shed. */
  waitUntilAccepting(): Promise<number>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const ACCEPT_TIMEOUT_MS = 5_000;
const ACCEPT_POLL_MS = 50;

const running = new Set<BenchServer>();

/**
 * Starts Avior with the api and worker roles on a free port of 127.0.0.1, in a temporary data
 * folder. The database is PGlite in that folder, or a scratch database on the PostgreSQL server
 * of DATABASE_URL that stop() drops. Only the variables set here and in `env` apply, so the
 * shell's environment cannot change what is measured.
 */
export async function startBenchAvior(
  env: Readonly<Record<string, string>> = {},
): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'avior-bench-'));
  const serverUrl = process.env.DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl) : undefined;
  const port = await findFreePort();
  const config = loadConfig({
    HOST,
    PORT: String(port),
    PUBLIC_URL: `http://${HOST}:${port}`,
    AVIOR_DATA_DIR: dataDir,
    AVIOR_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...env,
  });

  const removeStorage = async () => {
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const avior = await startAvior(config, { roles: ['api', 'worker'] }).catch(async (error) => {
    await removeStorage();
    throw error;
  });
  const server: BenchServer = {
    running: avior,
    url: avior.url ?? `http://${HOST}:${port}`,
    engine: await describeEngine(avior),
    async settle(timeoutMs) {
      await avior.bus?.drain(timeoutMs);
      return waitUntilAccepting(server.url);
    },
    waitUntilAccepting: () => waitUntilAccepting(server.url),
    async stop() {
      running.delete(server);
      await avior.stop();
      await removeStorage();
    },
  };
  running.add(server);
  await waitUntilAccepting(server.url);
  return server;
}

/**
 * Waits until an API route stops responding with 503. The load shedder (@fastify/under-pressure 9)
 * counts a 200 ms sampling interval without any event-loop sample as an infinite delay. So right
 * after start-up, or after any task that held the loop longer than that, it sheds every request
 * for a moment at any nonzero MAX_EVENT_LOOP_DELAY_MS.
 */
async function waitUntilAccepting(url: string): Promise<number> {
  const started = Date.now();
  const deadline = started + ACCEPT_TIMEOUT_MS;
  let shed = false;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/v1/templates`);
    await response.arrayBuffer();
    if (response.status !== 503) return shed ? Date.now() - started : 0;

    shed = true;
    await new Promise((resolve) => setTimeout(resolve, ACCEPT_POLL_MS));
  }
  throw new Error(
    `Avior at ${url} still responded with 503 after ${ACCEPT_TIMEOUT_MS} ms; check its log`,
  );
}

/** Stops every server still running, for an interrupted or timed-out bench. */
export async function stopAllBenchServers(): Promise<void> {
  await Promise.allSettled([...running].map((server) => server.stop()));
}

async function describeEngine(avior: RunningAvior): Promise<string> {
  const { rows } = await sql<{ version: string }>`SELECT version() AS version`.execute(
    avior.platform.db,
  );
  const version = rows[0]?.version.split(' on ')[0] ?? 'unknown version';
  return `${avior.platform.dbEngine} (${version})`;
}

/** Returns a port that was free a moment ago; PUBLIC_URL must name it before the server starts. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
