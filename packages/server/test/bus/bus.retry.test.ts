import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffCeilingMs,
  createEmbeddedBus,
  defineConsumerGroup,
  listDeadLetters,
  PermanentError,
  replayAllDeadLetters,
  replayDeadLetter,
  RetryLaterError,
  type EmbeddedBusOptions,
  type HandlerContext,
  type RetryPolicy,
  type RunOutcome,
} from '../../src/platform/bus/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import {
  appendCommitted,
  captureLogger,
  ERROR,
  getDelivery,
  resetBus,
  TOPIC,
  WARN,
  type LogLine,
} from './bus.helpers.ts';

const RETRY: RetryPolicy = { baseMs: 40, capMs: 200, maxAttempts: 4 };
const GROUP = 'test.scanner';

// Date.now() truncates to whole milliseconds, so a gap measured with it can read up to 1 ms
// shorter than the delay the database waited.
const CLOCK_RESOLUTION_MS = 1;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ label: 'bus' });
});
afterAll(() => database.close());
beforeEach(() => resetBus(database.db));

interface Attempt {
  readonly attempt: number;
  readonly at: number;
}

type Behaviour = (ctx: HandlerContext) => 'done' | Error;

interface Harness {
  readonly attempts: Attempt[];
  readonly lines: LogLine[];
  readonly outcomes: RunOutcome[];
  readonly drain: () => Promise<void>;
  setBehaviour(next: Behaviour): void;
}

function harness(behaviour: Behaviour, retry: RetryPolicy = RETRY, name = GROUP): Harness {
  const attempts: Attempt[] = [];
  const outcomes: RunOutcome[] = [];
  const { logger, lines } = captureLogger();
  let current = behaviour;
  const group = defineConsumerGroup({
    name,
    topic: TOPIC,
    handle: async (_event, ctx) => {
      attempts.push({ attempt: ctx.attempt, at: Date.now() });
      const result = current(ctx);
      if (result instanceof Error) throw result;
      return result;
    },
  });
  const options: EmbeddedBusOptions = {
    db: database.db,
    groups: [group],
    topics: [TOPIC],
    logger,
    metrics: { onJobDone: (_topic, _group, outcome) => void outcomes.push(outcome) },
    pollIntervalMs: 10,
    leaseMs: 5_000,
    retry,
    workerId: 'retry-test',
  };
  const bus = createEmbeddedBus(options);

  return {
    attempts,
    lines,
    outcomes,
    drain: () => bus.drain(20_000),
    setBehaviour: (next) => {
      current = next;
    },
  };
}

const failWith = (message: string) => () => new Error(message);

function gaps(attempts: readonly Attempt[]): number[] {
  return attempts.slice(1).map((attempt, index) => attempt.at - (attempts[index]?.at ?? 0));
}

describe('EmbeddedBus retries', () => {
  it('retries a failing handler with backoff, then dead-letters it', async () => {
    const run = harness(failWith('scanner offline'));
    const [eventId] = await appendCommitted(database.db);

    await run.drain();

    expect(run.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4]);
    for (const gap of gaps(run.attempts)) {
      expect(gap).toBeGreaterThanOrEqual(RETRY.baseMs - CLOCK_RESOLUTION_MS);
    }
    expect(run.outcomes).toEqual(['retry', 'retry', 'retry', 'dead']);

    const warnings = run.lines.filter((line) => line.level === WARN);
    expect(warnings.map((line) => line.attempt)).toEqual([1, 2, 3]);
    for (const line of warnings) {
      expect(line.delayMs).toBeGreaterThanOrEqual(RETRY.baseMs);
      expect(line.delayMs).toBeLessThanOrEqual(backoffCeilingMs(RETRY, line.attempt ?? 0));
    }

    const [deadLog] = run.lines.filter((line) => line.level === ERROR);
    expect(deadLog).toMatchObject({ eventId, topic: TOPIC, group: GROUP, attempt: 4 });
    expect(deadLog?.err?.message).toBe('scanner offline');

    const [letter] = await listDeadLetters(database.db, { limit: 10 });
    expect(letter).toMatchObject({ eventId, group: GROUP, topic: TOPIC, attempts: 4 });
    expect(letter?.errorMessage).toBe('scanner offline');
    expect(letter?.errorStack).toContain('scanner offline');
    expect(letter?.replayedAt).toBeNull();
  });

  it('delivers a replayed dead letter again', async () => {
    const run = harness(failWith('scanner offline'));
    const [eventId = ''] = await appendCommitted(database.db);
    await run.drain();
    const [letter] = await listDeadLetters(database.db, { limit: 10 });

    run.setBehaviour(() => 'done');
    const replayed = await replayDeadLetter(database.db, letter?.id ?? '');
    await run.drain();

    expect(replayed).toBe(true);
    expect(run.attempts.at(-1)?.attempt).toBe(1);
    expect((await getDelivery(database.db, GROUP, eventId)).status).toBe('done');
    expect(await listDeadLetters(database.db, { limit: 10 })).toEqual([]);
    const [history] = await listDeadLetters(database.db, { limit: 10, includeReplayed: true });
    expect(history?.replayedAt).toBeInstanceOf(Date);
  });

  it('replays a dead letter only once', async () => {
    const run = harness(failWith('scanner offline'));
    await appendCommitted(database.db);
    await run.drain();
    const [letter] = await listDeadLetters(database.db, { limit: 10 });

    run.setBehaviour(() => 'done');
    await replayDeadLetter(database.db, letter?.id ?? '');

    expect(await replayDeadLetter(database.db, letter?.id ?? '')).toBe(false);
  });

  it('files a new letter when a replay fails again', async () => {
    const run = harness(failWith('scanner offline'));
    await appendCommitted(database.db);
    await run.drain();
    const [first] = await listDeadLetters(database.db, { limit: 10 });

    await replayDeadLetter(database.db, first?.id ?? '');
    await run.drain();

    const open = await listDeadLetters(database.db, { limit: 10 });
    const all = await listDeadLetters(database.db, { limit: 10, includeReplayed: true });
    expect(open).toHaveLength(1);
    expect(open[0]?.id).not.toBe(first?.id);
    expect(all).toHaveLength(2);
    expect(run.attempts).toHaveLength(RETRY.maxAttempts * 2);
  });

  it('dead-letters a PermanentError at once', async () => {
    const run = harness(() => new PermanentError('payload has no survey'));
    const [eventId] = await appendCommitted(database.db);

    await run.drain();

    expect(run.attempts.map((attempt) => attempt.attempt)).toEqual([1]);
    expect(run.lines.filter((line) => line.level === WARN)).toEqual([]);
    const [letter] = await listDeadLetters(database.db, { limit: 10 });
    expect(letter).toMatchObject({ eventId, attempts: 1, errorMessage: 'payload has no survey' });
  });

  it('waits the delay a RetryLaterError asks for', async () => {
    const delayMs = 150;
    const run = harness((ctx) =>
      ctx.attempt === 1 ? new RetryLaterError('photo not uploaded yet', delayMs) : 'done',
    );
    const [eventId = ''] = await appendCommitted(database.db);

    await run.drain();

    expect(run.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(gaps(run.attempts)[0]).toBeGreaterThanOrEqual(delayMs - CLOCK_RESOLUTION_MS);
    expect(run.lines.find((line) => line.level === WARN)?.delayMs).toBe(delayMs);
    const delivery = await getDelivery(database.db, GROUP, eventId);
    expect(delivery.status).toBe('done');
    expect(delivery.attempts).toBe(2);
  });

  it('counts RetryLaterError attempts towards the maximum', async () => {
    const run = harness(() => new RetryLaterError('photo not uploaded yet', 5), {
      ...RETRY,
      maxAttempts: 2,
    });
    const [eventId] = await appendCommitted(database.db);

    await run.drain();

    expect(run.attempts).toHaveLength(2);
    const [letter] = await listDeadLetters(database.db, { limit: 10 });
    expect(letter).toMatchObject({ eventId, attempts: 2 });
  });
});

describe('replayAllDeadLetters', () => {
  it('replays only the named group', async () => {
    const audit = harness(() => new PermanentError('rejected'), RETRY, 'test.audit');
    const notify = harness(() => new PermanentError('rejected'), RETRY, 'test.notify');
    await appendCommitted(database.db);
    await audit.drain();
    await notify.drain();

    const auditCount = await replayAllDeadLetters(database.db, { group: 'test.audit' });
    const open = await listDeadLetters(database.db, { limit: 10 });
    const restCount = await replayAllDeadLetters(database.db);

    expect(auditCount).toBe(1);
    expect(open.map((letter) => letter.group)).toEqual(['test.notify']);
    expect(restCount).toBe(1);
  });
});

describe('listDeadLetters', () => {
  it.each([0, 1_001, 1.5])('rejects limit %s', async (limit) => {
    await expect(listDeadLetters(database.db, { limit })).rejects.toThrow(RangeError);
  });
});
