import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../server/src/config.ts';
import { startAvior, type RunningAvior } from '../../../server/src/runtime.ts';
import { createScratchDatabase } from '../../../server/test/support/test-database.ts';

/** The built web app the server serves; `npm run e2e` builds it first. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));

export interface AviorServer {
  /** Base URL of the server, such as http://127.0.0.1:41234. */
  readonly url: string;
  readonly port: number;
  readonly running: RunningAvior;
  stop(): Promise<void>;
}

/**
 * Starts the whole platform (API, worker and the built web app) in this process on a free port
 * of 127.0.0.1: on PGlite in memory, or on a new database of the PostgreSQL server named by
 * DATABASE_URL when that is set. The demo organisation is seeded.
 *
 * @example
 * const server = await startAviorServer();
 * afterAll(() => server.stop());
 */
export async function startAviorServer(
  env: Readonly<Record<string, string>> = {},
): Promise<AviorServer> {
  if (!existsSync(join(WEB_DIST_DIR, 'index.html'))) {
    throw new Error(
      `The web app is not built: ${WEB_DIST_DIR}/index.html is missing. Run \`npx vite build\` in ` +
        'packages/web, or `npm run e2e`, which builds first.',
    );
  }

  const port = await findFreePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'avior-e2e-'));
  const scratch = process.env.DATABASE_URL
    ? await createScratchDatabase(process.env.DATABASE_URL, 'e2e')
    : undefined;
  const cleanUp = async () => {
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const config = loadConfig({
      AVIOR_DATA_DIR: dataDir,
      PGLITE_DATA_DIR: 'memory://',
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_DIST_DIR,
      AVIOR_SECRET: 'e2e-secret-not-for-production-0123456789',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Chromium and the server share two cores; a slow moment must not shed requests.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      BUS_POLL_INTERVAL_MS: '50',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
      ...env,
    });
    const running = await startAvior(config);
    if (!running.url) throw new Error('the server started without listening');

    return {
      url: `http://127.0.0.1:${port}`,
      port,
      running,
      stop: async () => {
        await running.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * Asks the system for a free port. The port must be known before start because signed photo
 * links are built from PUBLIC_URL, which defaults to http://HOST:PORT.
 */
async function findFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('the system returned no port for 127.0.0.1');
  }
  return address.port;
}
