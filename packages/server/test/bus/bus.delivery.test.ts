import type { EventEnvelope } from '@avior/contract';
import { sql, type ControlledTransaction } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import {
  appendEvent,
  createEmbeddedBus,
  defineConsumerGroup,
  type EmbeddedBusOptions,
  type HandlerOutcome,
} from '../../src/platform/bus/index.ts';
import type { Database } from '../../src/platform/db/schema.ts';
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

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ label: 'bus' });
});
afterAll(() => database.close());
beforeEach(() => resetBus(database.db));

interface Recorder {
  readonly events: EventEnvelope<typeof TOPIC>[];
  readonly group: EmbeddedBusOptions['groups'][number];
}

function recorder(name: string, outcome: HandlerOutcome = 'done'): Recorder {
  const events: EventEnvelope<typeof TOPIC>[] = [];
  const group = defineConsumerGroup({
    name,
    topic: TOPIC,
    handle: async (event) => {
      events.push(event);
      return outcome;
    },
  });

  return { events, group };
}

function busFor(groups: EmbeddedBusOptions['groups'], concurrency = 4) {
  return createEmbeddedBus({
    db: database.db,
    groups,
    topics: [TOPIC],
    logger: captureLogger().logger,
    pollIntervalMs: 20,
    leaseMs: 5_000,
    workerId: 'delivery-test',
    concurrency,
  });
}

describe('EmbeddedBus delivery', () => {
  it('delivers a committed event once to each group', async () => {
    const audit = recorder('test.audit');
    const notify = recorder('test.notify');
    const bus = busFor([audit.group, notify.group]);
    const [eventId] = await appendCommitted(database.db);

    await bus.drain(10_000);
    await appendCommitted(database.db);
    await bus.drain(10_000);

    const auditIds = audit.events.map((event) => event.id);
    const notifyIds = notify.events.map((event) => event.id);
    expect(auditIds.filter((id) => id === eventId)).toHaveLength(1);
    expect(notifyIds.filter((id) => id === eventId)).toHaveLength(1);
    expect(auditIds).toHaveLength(2);
    expect(notifyIds).toHaveLength(2);
  });

  it('never delivers a rolled-back event', async () => {
    const audit = recorder('test.audit');
    const bus = busFor([audit.group]);
    let rolledBackId = '';

    const rollback = database.db.transaction().execute(async (trx) => {
      rolledBackId = await appendEvent(trx, {
        topic: TOPIC,
        orgId: ORG_ID,
        payload: { surveyId: ORG_ID },
      });
      throw new Error('survey update rejected');
    });
    await expect(rollback).rejects.toThrow('survey update rejected');
    const [committedId] = await appendCommitted(database.db);
    await bus.drain(10_000);

    const ids = audit.events.map((event) => event.id);
    expect(ids).toEqual([committedId]);
    expect(ids).not.toContain(rolledBackId);
  });

  it('hands the handler a complete envelope', async () => {
    const audit = recorder('test.audit');
    const bus = busFor([audit.group]);
    const payload = { surveyId: '0190a000-0000-7000-8000-0000000000aa' };
    const eventId = await appendEvent(database.db, {
      topic: TOPIC,
      orgId: ORG_ID,
      payload,
      traceparent: TRACEPARENT,
    });

    await bus.drain(10_000);

    const [event] = audit.events;
    expect(event?.id).toBe(eventId);
    expect(event?.topic).toBe(TOPIC);
    expect(event?.orgId).toBe(ORG_ID);
    expect(event?.payload).toEqual(payload);
    expect(event?.schemaVersion).toBe(1);
    expect(event?.traceparent).toBe(TRACEPARENT);
    expect(event?.createdAt).toBeInstanceOf(Date);
  });

  it('stores an invalid traceparent as null', async () => {
    const audit = recorder('test.audit');
    const bus = busFor([audit.group]);
    await appendEvent(database.db, {
      topic: TOPIC,
      orgId: ORG_ID,
      payload: { surveyId: ORG_ID },
      traceparent: 'not-a-trace',
    });

    await bus.drain(10_000);

    expect(audit.events[0]?.traceparent).toBeNull();
  });

  it('records a skipped outcome as skipped', async () => {
    const audit = recorder('test.audit', 'skipped');
    const bus = busFor([audit.group]);
    const [eventId = ''] = await appendCommitted(database.db);

    await bus.drain(10_000);

    const delivery = await getDelivery(database.db, 'test.audit', eventId);
    expect(delivery.status).toBe('skipped');
  });

  it('reports lag until the group catches up', async () => {
    const reported: number[] = [];
    const audit = recorder('test.audit');
    const bus = createEmbeddedBus({
      db: database.db,
      groups: [audit.group],
      topics: [TOPIC],
      logger: captureLogger().logger,
      metrics: { onLag: (_topic, _group, pending) => void reported.push(pending) },
    });
    await appendCommitted(database.db, 3);

    const before = await bus.lag();
    await bus.drain(10_000);
    const after = await bus.lag();

    expect(before).toEqual([
      { topic: TOPIC, group: 'test.audit', pending: 3, oldestAgeSeconds: expect.any(Number) },
    ]);
    expect(after[0]?.pending).toBe(0);
    expect(after[0]?.oldestAgeSeconds).toBe(0);
    expect(reported).toEqual([3, 0]);
  });

  it('runs started and woken without drain', async () => {
    const audit = recorder('test.audit');
    const bus = busFor([audit.group]);
    await bus.start();

    const [eventId = ''] = await appendCommitted(database.db);
    bus.wake();
    await waitForStatus(eventId, 'done');
    await bus.stop();

    expect(audit.events.map((event) => event.id)).toEqual([eventId]);
  });
});

describe('EmbeddedBus start', () => {
  it('rejects a topic with no consumer group', async () => {
    const audit = recorder('test.audit');
    const bus = createEmbeddedBus({
      db: database.db,
      groups: [audit.group],
      logger: captureLogger().logger,
    });

    await expect(bus.start()).rejects.toThrow(/no consumer group handles survey\.created/);
  });

  it('checks only the listed topics', async () => {
    const audit = recorder('test.audit');
    const bus = busFor([audit.group]);

    await expect(bus.start()).resolves.toBeUndefined();
    await bus.stop();
  });

  it('rejects a group whose stored topic changed', async () => {
    const first = recorder('test.audit');
    await busFor([first.group]).drain(1_000);
    const renamed = defineConsumerGroup({
      name: 'test.audit',
      topic: 'survey.created',
      handle: async () => 'done',
    });
    const bus = createEmbeddedBus({
      db: database.db,
      groups: [renamed],
      topics: ['survey.created'],
      logger: captureLogger().logger,
    });

    await expect(bus.start()).rejects.toThrow(/stored for topic survey\.submitted/);
  });
});

describe('EmbeddedBus cursor', () => {
  it('waits for an earlier transaction that commits last', async (ctx) => {
    ctx.skip(database.engine !== 'postgres', 'needs two connections: set DATABASE_URL');
    const audit = recorder('test.audit');
    const bus = busFor([audit.group], 1);

    const earlier = await openTransaction(ctx);
    const earlierId = await appendEvent(earlier, {
      topic: TOPIC,
      orgId: ORG_ID,
      payload: { surveyId: ORG_ID },
    });
    const later = await openTransaction(ctx);
    const laterId = await appendEvent(later, {
      topic: TOPIC,
      orgId: ORG_ID,
      payload: { surveyId: ORG_ID },
    });
    await later.commit().execute();

    await expect(bus.drain(300)).rejects.toThrow(/timed out/);
    const heldBack = audit.events.map((event) => event.id);
    await earlier.commit().execute();
    await bus.drain(10_000);

    expect(heldBack).toEqual([]);
    expect(audit.events.map((event) => event.id)).toEqual([earlierId, laterId]);
    expect(await seqOf(earlierId)).toBeLessThan(await seqOf(laterId));
  });

  it('follows transaction order when seq order differs', async (ctx) => {
    ctx.skip(database.engine !== 'postgres', 'needs two connections: set DATABASE_URL');
    const audit = recorder('test.audit');
    const bus = busFor([audit.group], 1);

    const slow = await openTransaction(ctx);
    await sql`SELECT pg_current_xact_id()`.execute(slow);
    const [fastId] = await appendCommitted(database.db);
    const slowId = await appendEvent(slow, {
      topic: TOPIC,
      orgId: ORG_ID,
      payload: { surveyId: ORG_ID },
    });

    await expect(bus.drain(300)).rejects.toThrow(/timed out/);
    const heldBack = audit.events.map((event) => event.id);
    await slow.commit().execute();
    await bus.drain(10_000);
    const [nextId] = await appendCommitted(database.db);
    await bus.drain(10_000);

    expect(heldBack).toEqual([]);
    expect(audit.events.map((event) => event.id)).toEqual([slowId, fastId, nextId]);
    expect(await seqOf(slowId)).toBeGreaterThan(await seqOf(fastId ?? ''));
  });
});

/** Starts a transaction that is rolled back after the test unless the test commits it. */
async function openTransaction(ctx: TestContext): Promise<ControlledTransaction<Database>> {
  const trx = await database.db.startTransaction().execute();
  ctx.onTestFinished(async () => {
    if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
  });

  return trx;
}

async function seqOf(eventId: string): Promise<number> {
  const row = await database.db
    .selectFrom('outbox_events')
    .select('seq')
    .where('id', '=', eventId)
    .executeTakeFirstOrThrow();

  return row.seq;
}

async function waitForStatus(eventId: string, status: string): Promise<void> {
  await waitFor(
    `delivery of ${eventId} to reach ${status}`,
    async () => {
      const row = await database.db
        .selectFrom('bus_deliveries')
        .select('status')
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      return row?.status === status;
    },
    10_000,
  );
}
