import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import {
  createEmbeddedBus,
  defineConsumerGroup,
  listDeadLetters,
  type EmbeddedBus,
  type HandlerContext,
} from '../../src/platform/bus/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import {
  appendCommitted,
  captureLogger,
  deferred,
  getDelivery,
  resetBus,
  TOPIC,
  type Deferred,
} from './bus.helpers.ts';

const GROUP = 'test.report-writer';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ label: 'bus' });
  await sql`
    CREATE TABLE bus_test_effects (event_id uuid PRIMARY KEY, written_by text NOT NULL)
  `.execute(database.db);
});
afterAll(() => database.close());
beforeEach(async () => {
  await resetBus(database.db);
  await sql`TRUNCATE bus_test_effects`.execute(database.db);
});

interface Worker {
  readonly bus: EmbeddedBus;
  readonly runs: number[];
  readonly started: Deferred;
}

/**
 * Creates a bus whose handler writes its effect keyed on the event id, the way handlers are
 * meant to, after waiting for `gate` when one is given. It runs one handler at a time, so while
 * its handler waits it cannot claim the same delivery again when the test expires the lease.
 */
function worker(workerId: string, maxAttempts: number, gate?: Promise<void>): Worker {
  const runs: number[] = [];
  const started = deferred();
  const handle = async (_event: unknown, ctx: HandlerContext) => {
    runs.push(ctx.attempt);
    started.resolve();
    await gate;
    await sql`
      INSERT INTO bus_test_effects (event_id, written_by) VALUES (${ctx.eventId}, ${workerId})
      ON CONFLICT (event_id) DO NOTHING
    `.execute(database.db);
    return 'done' as const;
  };
  const bus = createEmbeddedBus({
    db: database.db,
    groups: [defineConsumerGroup({ name: GROUP, topic: TOPIC, handle })],
    topics: [TOPIC],
    logger: captureLogger().logger,
    pollIntervalMs: 10,
    // Long enough that the lease is only lost when the test expires it by hand.
    leaseMs: 60_000,
    retry: { baseMs: 10, capMs: 100, maxAttempts },
    workerId,
    concurrency: 1,
  });

  return { bus, runs, started };
}

/** Opens the gate and stops the bus after the test, even when an assertion failed first. */
function releaseAfterTest(ctx: TestContext, gate: Deferred, bus: EmbeddedBus): void {
  ctx.onTestFinished(async () => {
    gate.resolve();
    await bus.stop();
  });
}

async function expireLease(eventId: string): Promise<void> {
  await database.db
    .updateTable('bus_deliveries')
    .set({ lease_until: sql`now() - interval '1 second'` })
    .where('event_id', '=', eventId)
    .execute();
}

async function countEffects(): Promise<number> {
  const result = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM bus_test_effects
  `.execute(database.db);

  return result.rows[0]?.count ?? 0;
}

describe('EmbeddedBus leases', () => {
  it('runs an event twice with one effect after a lease expiry', async (ctx) => {
    const gate = deferred();
    const slow = worker('worker-slow', 5, gate.promise);
    const rescuer = worker('worker-rescuer', 5);
    releaseAfterTest(ctx, gate, slow.bus);
    const [eventId = ''] = await appendCommitted(database.db);

    await slow.bus.start();
    await slow.started.promise;
    await expireLease(eventId);
    await rescuer.bus.drain(10_000);
    gate.resolve();
    await slow.bus.stop();

    expect(slow.runs).toEqual([1]);
    expect(rescuer.runs).toEqual([2]);
    expect(await countEffects()).toBe(1);
    const delivery = await getDelivery(database.db, GROUP, eventId);
    expect(delivery.status).toBe('done');
    expect(delivery.lease_owner).toBe('worker-rescuer');
  });

  it('renews the lease of a running handler', async (ctx) => {
    const gate = deferred();
    const slow = createEmbeddedBus({
      db: database.db,
      groups: [
        defineConsumerGroup({
          name: GROUP,
          topic: TOPIC,
          handle: async () => {
            await gate.promise;
            return 'done';
          },
        }),
      ],
      topics: [TOPIC],
      logger: captureLogger().logger,
      pollIntervalMs: 10,
      leaseMs: 300,
      workerId: 'worker-slow',
    });
    releaseAfterTest(ctx, gate, slow);
    const [eventId = ''] = await appendCommitted(database.db);

    await slow.start();
    const first = await waitForLease(eventId, null);
    const renewed = await waitForLease(eventId, first);
    gate.resolve();
    await slow.stop();

    expect(renewed.getTime()).toBeGreaterThan(first.getTime());
  });

  it('dead-letters an event whose last lease expired', async (ctx) => {
    const gate = deferred();
    const slow = worker('worker-slow', 1, gate.promise);
    const rescuer = worker('worker-rescuer', 1);
    releaseAfterTest(ctx, gate, slow.bus);
    const [eventId] = await appendCommitted(database.db);

    await slow.bus.start();
    await slow.started.promise;
    await expireLease(eventId ?? '');
    await rescuer.bus.drain(10_000);
    gate.resolve();
    await slow.bus.stop();

    expect(rescuer.runs).toEqual([]);
    const [letter] = await listDeadLetters(database.db, { limit: 10 });
    expect(letter).toMatchObject({ eventId, attempts: 2 });
    expect(letter?.errorMessage).toMatch(/lease expired/);
  });
});

/** Waits until the delivery's lease is set and differs from `previous`, and returns it. */
async function waitForLease(eventId: string, previous: Date | null): Promise<Date> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const row = await database.db
      .selectFrom('bus_deliveries')
      .select('lease_until')
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    const lease = row?.lease_until;
    if (lease && lease.getTime() !== previous?.getTime()) return lease;

    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  throw new Error(`Lease of ${eventId} did not change within 10 s`);
}
