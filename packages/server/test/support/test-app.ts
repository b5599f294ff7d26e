import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@avior/contract';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { App } from '../../src/gateway/app-types.ts';
import { startAvior, type RunningAvior, type StartOptions } from '../../src/runtime.ts';
import {
  DEMO_ORG_SLUG,
  DEMO_PASSWORD,
  seedOrganisation,
  type SeededOrganisation,
} from '../../src/seed/demo-seed.ts';
import { createScratchDatabase } from './test-database.ts';

export interface TestApp {
  readonly app: App;
  readonly running: RunningAvior;
  readonly config: Config;
  readonly demo: SeededOrganisation;
  /** A second tenant, for isolation tests. */
  readonly other: SeededOrganisation;
  /** Access tokens of the demo organisation's users by role. */
  readonly tokens: Readonly<Record<Role, string>>;
  readonly otherTokens: Readonly<Record<Role, string>>;
  /** Sends a request with a bearer token; JSON bodies are encoded. */
  request(
    method: string,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Waits until every committed event has been handled or dead-lettered. */
  drainBus(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly start?: StartOptions;
}

const ROLES: readonly Role[] = ['admin', 'manager', 'inspector', 'viewer'];

/**
 * Starts the whole platform for a test file on a real database: PGlite in memory, or a fresh
 * database on the PostgreSQL server of DATABASE_URL when that is set.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'avior-test-'));
  const scratch = process.env.DATABASE_URL
    ? await createScratchDatabase(process.env.DATABASE_URL, 'app')
    : undefined;
  const config = loadConfig({
    AVIOR_DATA_DIR: dataDir,
    PGLITE_DATA_DIR: 'memory://',
    AVIOR_SECRET: 'test-secret-not-for-production-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BUS_POLL_INTERVAL_MS: '20',
    BUS_RETRY_BASE_MS: '50',
    BUS_MAX_ATTEMPTS: '3',
    RATE_LIMIT_PER_MINUTE: '100000',
    // Test files share two cores; a slow moment must not shed their requests.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Tests of the web app pass their own build folder.
    WEB_DIST_DIR: '',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...options.env,
  });
  const running = await startAvior(config, { listen: false, busLeaseMs: 2_000, ...options.start });
  const app = running.app;
  if (!app) throw new Error('startTestApp needs the api role');

  const db = running.platform.db;
  const demoOrg = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', DEMO_ORG_SLUG)
    .executeTakeFirstOrThrow();
  const demo = await describeOrganisation(running, demoOrg.id);
  const other = await seedOrganisation(db, 'Southwind Estates', 'southwind');

  const request: TestApp['request'] = (method, url, requestOptions = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(requestOptions.token ? { authorization: `Bearer ${requestOptions.token}` } : {}),
        ...requestOptions.headers,
      },
      ...(requestOptions.body !== undefined ? { payload: requestOptions.body as object } : {}),
    });

  return {
    app,
    running,
    config,
    demo,
    other,
    tokens: await loginAll(request, demo),
    otherTokens: await loginAll(request, other),
    request,
    drainBus: async (timeoutMs = 30_000) => {
      await running.bus?.drain(timeoutMs);
    },
    async stop() {
      await running.stop();
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function describeOrganisation(
  running: RunningAvior,
  orgId: string,
): Promise<SeededOrganisation> {
  const db = running.platform.db;
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'role'])
    .where('org_id', '=', orgId)
    .execute();
  const facilities = await db
    .selectFrom('facilities')
    .select('id')
    .where('org_id', '=', orgId)
    .orderBy('name')
    .execute();
  const template = await db
    .selectFrom('templates')
    .select('id')
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  const byRole = Object.fromEntries(
    users.map((user) => [user.role, { id: user.id, email: user.email }]),
  );
  return {
    orgId,
    users: byRole as SeededOrganisation['users'],
    facilityIds: facilities.map((f) => f.id),
    templateId: template.id,
  };
}

async function loginAll(
  request: TestApp['request'],
  organisation: SeededOrganisation,
): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const response = await loginShedAware(request, organisation.users[role].email);
    if (response.statusCode !== 200) throw new Error(`login as ${role} failed: ${response.body}`);
    tokens[role] = response.json<{ accessToken: string }>().accessToken;
  }
  return tokens;
}

// An app started with load shedding on may shed a login while start-up work still lags the
// event loop; a client waits and retries, as the 503's retry-after asks.
async function loginShedAware(request: TestApp['request'], email: string) {
  for (let attempt = 1; ; attempt += 1) {
    const response = await request('POST', '/v1/auth/login', {
      body: { email, password: DEMO_PASSWORD },
    });
    if (response.statusCode !== 503 || attempt === 20) return response;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
