import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendEvent,
  createEmbeddedBus,
  defineConsumerGroup,
} from '../../src/platform/bus/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import {
  appendCommitted,
  captureLogger,
  getDelivery,
  ORG_ID,
  resetBus,
  TOPIC,
  waitFor,
} from './bus.helpers.ts';
import { spawnWorker, type WorkerProcess } from './worker.process.ts';

// Group name of the fixture worker. The bus in this process joins the same group.
const GROUP = 'fixture.worker';
const EVENT_COUNT = 300;
const SKIP_NOTE = 'needs PostgreSQL shared by several processes: set DATABASE_URL';
const usesPostgres = Boolean(process.env['DATABASE_URL']);

let database: TestDatabase | undefined;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  if (!usesPostgres) return;

  database = await createTestDatabase({ label: 'bus' });
  await sql`
    CREATE TABLE bus_test_executions (event_id uuid NOT NULL, worker_id text NOT NULL);
    CREATE TABLE bus_test_effects (event_id uuid PRIMARY KEY);
  `.execute(database.db);
});
afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await database?.close();
});
beforeEach(async () => {
  if (!database) return;

  await resetBus(database.db);
  await sql`TRUNCATE bus_test_executions, bus_test_effects`.execute(database.db);
});

function start(mode: 'hang' | 'record', workerId: string, url: string): WorkerProcess {
  const worker = spawnWorker(mode, workerId, url);
  workers.push(worker);

  return worker;
}

describe('EmbeddedBus across processes', () => {
  it('recovers the event of a worker killed mid-handler', async (ctx) => {
    ctx.skip(!usesPostgres, SKIP_NOTE);
    const { db, url = '' } = database as TestDatabase;
    const doomed = start('hang', 'worker-doomed', url);
    await doomed.waitForLine((line) => line === 'ready', 20_000);

    const [eventId = ''] = await appendCommitted(db);
    await doomed.waitForLine((line) => line === `started ${eventId}`, 10_000);
    const claimed = await getDelivery(db, GROUP, eventId);
    doomed.child.kill('SIGKILL');
    await doomed.exit();

    const handled: { eventId: string; attempt: number }[] = [];
    const rescuer = createEmbeddedBus({
      db,
      groups: [
        defineConsumerGroup({
          name: GROUP,
          topic: TOPIC,
          handle: async (_event, handlerCtx) => {
            handled.push({ eventId: handlerCtx.eventId, attempt: handlerCtx.attempt });
            return 'done';
          },
        }),
      ],
      topics: [TOPIC],
      logger: captureLogger().logger,
      pollIntervalMs: 20,
      leaseMs: 1_000,
      workerId: 'worker-rescuer',
    });
    await rescuer.drain(15_000);

    expect(claimed.status).toBe('running');
    expect(claimed.lease_owner).toBe('worker-doomed');
    expect(handled).toEqual([{ eventId, attempt: 2 }]);
    const finished = await getDelivery(db, GROUP, eventId);
    expect(finished.status).toBe('done');
    expect(finished.lease_owner).toBe('worker-rescuer');
  });

  it('shares events between two workers without running one twice', async (ctx) => {
    ctx.skip(!usesPostgres, SKIP_NOTE);
    const { db, url = '' } = database as TestDatabase;
    const pair = [start('record', 'worker-a', url), start('record', 'worker-b', url)];
    await Promise.all(pair.map((worker) => worker.waitForLine((line) => line === 'ready', 20_000)));

    await appendInBatches(db, EVENT_COUNT, 10);
    await waitFor(
      'every delivery to finish',
      async () => (await countDone(db)) === EVENT_COUNT,
      30_000,
    );
    for (const worker of pair) worker.child.kill('SIGTERM');
    const exitCodes = await Promise.all(pair.map((worker) => worker.exit()));

    const totals = await sql<{ runs: number; events: number; effects: number; retried: number }>`
      SELECT
        (SELECT count(*)::int FROM bus_test_executions) AS runs,
        (SELECT count(DISTINCT event_id)::int FROM bus_test_executions) AS events,
        (SELECT count(*)::int FROM bus_test_effects) AS effects,
        (SELECT count(*)::int FROM bus_deliveries WHERE attempts <> 1) AS retried
    `.execute(db);
    const perWorker = await sql<{ worker_id: string; runs: number }>`
      SELECT worker_id, count(*)::int AS runs FROM bus_test_executions
      GROUP BY worker_id ORDER BY worker_id
    `.execute(db);

    expect(exitCodes).toEqual([0, 0]);
    expect(totals.rows[0]).toEqual({
      runs: EVENT_COUNT,
      events: EVENT_COUNT,
      effects: EVENT_COUNT,
      retried: 0,
    });
    expect(perWorker.rows.map((row) => row.worker_id)).toEqual(['worker-a', 'worker-b']);
    for (const row of perWorker.rows) expect(row.runs).toBeGreaterThan(0);
  });
});

async function appendInBatches(db: TestDatabase['db'], count: number, perTransaction: number) {
  for (let sent = 0; sent < count; sent += perTransaction) {
    await db.transaction().execute(async (trx) => {
      for (let index = 0; index < perTransaction; index += 1) {
        await appendEvent(trx, { topic: TOPIC, orgId: ORG_ID, payload: { surveyId: ORG_ID } });
      }
    });
  }
}

async function countDone(db: TestDatabase['db']): Promise<number> {
  const result = await sql<{ done: number }>`
    SELECT count(*)::int AS done FROM bus_deliveries WHERE status = 'done'
  `.execute(db);

  return result.rows[0]?.done ?? 0;
}
