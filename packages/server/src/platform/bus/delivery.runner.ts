import type { Topic } from '@avior/contract';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { backoffDelayMs, type RetryPolicy } from './bus.backoff.ts';
import type {
  AnyConsumerGroup,
  EventHandler,
  HandlerContext,
  HandlerOutcome,
} from './bus.consumer.ts';
import { PermanentError, RetryLaterError } from './bus.errors.ts';
import type { BusMetrics, RunOutcome } from './bus.metrics.ts';
import type { Failure } from './dead-letter.repository.ts';
import {
  markDead,
  markFinished,
  scheduleRetry,
  type ClaimedDelivery,
} from './delivery.repository.ts';
import { continueTrace, runInTrace } from '../telemetry/trace-context.ts';

export interface RunnerDependencies {
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly metrics?: BusMetrics | undefined;
  readonly retry: RetryPolicy;
  readonly random?: () => number;
}

interface Run {
  readonly deps: RunnerDependencies;
  readonly group: AnyConsumerGroup;
  readonly delivery: ClaimedDelivery;
  readonly logger: Logger;
  readonly startedAt: number;
}

const STACK_LINES = 10;

/**
 * Runs a group's handler on one claimed delivery and records the outcome: done or skipped,
 * a retry after backoff, or a dead letter. Throws only when the database write fails, in which
 * case the lease runs out and another claim runs the event again.
 */
export async function runDelivery(
  deps: RunnerDependencies,
  group: AnyConsumerGroup,
  delivery: ClaimedDelivery,
): Promise<void> {
  const logger = deps.logger.child({
    eventId: delivery.eventId,
    topic: delivery.event.topic,
    group: group.name,
    attempt: delivery.attempt,
  });
  const run: Run = { deps, group, delivery, logger, startedAt: performance.now() };

  if (delivery.attempt > deps.retry.maxAttempts) {
    const error = new Error(
      `attempt ${delivery.attempt - 1} ended without an outcome because its lease expired`,
    );
    await deadLetter(run, error);
    return;
  }

  let outcome: HandlerOutcome;
  try {
    outcome = await invokeHandler(run);
  } catch (error) {
    await recordFailure(run, error);
    return;
  }

  await recordSuccess(run, outcome === 'skipped' ? 'skipped' : 'done');
}

function invokeHandler(run: Run): Promise<HandlerOutcome> {
  const ctx: HandlerContext = {
    eventId: run.delivery.eventId,
    attempt: run.delivery.attempt,
    group: run.group.name,
    logger: run.logger,
  };
  const handle = run.group.handle as EventHandler<Topic>;
  // Events the handler appends continue the trace of the event it handles.
  const trace = continueTrace(run.delivery.event.traceparent);
  return runInTrace(trace, () => handle(run.delivery.event, ctx));
}

async function recordSuccess(run: Run, outcome: HandlerOutcome): Promise<void> {
  const recorded = await markFinished(run.deps.db, run.delivery, outcome);
  if (!recorded) run.logger.debug('Outcome ignored for event: the delivery had already ended');

  reportRun(run, outcome);
}

async function recordFailure(run: Run, error: unknown): Promise<void> {
  const exhausted = run.delivery.attempt >= run.deps.retry.maxAttempts;
  if (error instanceof PermanentError || exhausted) {
    await deadLetter(run, error);
    return;
  }

  const delayMs = retryDelayMs(run, error);
  const failure = describeFailure(error);
  const scheduled = await scheduleRetry(run.deps.db, run.delivery, delayMs, failure.message);
  if (!scheduled) {
    run.logger.warn({ err: error }, lostLeaseMessage(run));
    return;
  }

  run.logger.warn(
    { err: error, delayMs },
    `Delivery failed for event ${run.delivery.eventId}, retry in ${delayMs} ms: ${failure.message}`,
  );
  reportRun(run, 'retry');
}

async function deadLetter(run: Run, error: unknown): Promise<void> {
  const failure = describeFailure(error);
  const filed = await markDead(run.deps.db, run.delivery, run.delivery.event.topic, failure);
  if (!filed) {
    run.logger.warn({ err: error }, lostLeaseMessage(run));
    return;
  }

  run.logger.error(
    { err: error },
    `Delivery dead-lettered for event ${run.delivery.eventId} after ` +
      `${run.delivery.attempt} attempts: ${failure.message}`,
  );
  reportRun(run, 'dead');
}

function retryDelayMs(run: Run, error: unknown): number {
  if (error instanceof RetryLaterError && error.delayMs !== undefined) {
    return Math.max(0, Math.round(error.delayMs));
  }

  return backoffDelayMs(run.deps.retry, run.delivery.attempt, run.deps.random);
}

function describeFailure(error: unknown): Failure {
  if (!(error instanceof Error)) return { message: String(error), stack: null };

  const stack = error.stack?.split('\n').slice(0, STACK_LINES).join('\n') ?? null;
  return { message: error.message, stack };
}

function lostLeaseMessage(run: Run): string {
  return (
    `Failure ignored for event ${run.delivery.eventId}: another worker took over the ` +
    `delivery after attempt ${run.delivery.attempt}'s lease expired`
  );
}

function reportRun(run: Run, outcome: RunOutcome): void {
  const seconds = (performance.now() - run.startedAt) / 1_000;
  run.deps.metrics?.onJobDone?.(run.delivery.event.topic, run.group.name, outcome, seconds);
}
