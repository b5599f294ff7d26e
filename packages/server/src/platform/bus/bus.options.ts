import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Topic } from '@avior/contract';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { RetryPolicy } from './bus.backoff.ts';
import type { AnyConsumerGroup } from './bus.consumer.ts';
import type { BusMetrics } from './bus.metrics.ts';

export interface EmbeddedBusOptions {
  readonly db: Kysely<Database>;
  readonly groups: readonly AnyConsumerGroup[];
  readonly logger: Logger;
  readonly metrics?: BusMetrics | undefined;
  /** Topics to consume; `start` then checks only these for a group. Default: all. */
  readonly topics?: readonly Topic[] | undefined;
  /** Milliseconds between polls of the outbox when `wake` is not called. Default 1000. */
  readonly pollIntervalMs?: number;
  /** Outbox rows fanned out per transaction. Default 100. */
  readonly batchSize?: number;
  /**
   * Milliseconds a claimed delivery stays leased to this worker. The bus renews the lease every
   * third of it while the handler runs, so it bounds how long a crashed worker's event waits,
   * not how long a handler may take. Default 30000.
   */
  readonly leaseMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Owner name written on leases, unique per process. Default host:pid:random. */
  readonly workerId?: string;
  /** Handlers this process runs at once. Default 4. */
  readonly concurrency?: number;
}

export interface ResolvedBusOptions {
  readonly db: Kysely<Database>;
  readonly groups: readonly AnyConsumerGroup[];
  readonly logger: Logger;
  readonly metrics: BusMetrics | undefined;
  readonly topics: readonly Topic[] | undefined;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly retry: RetryPolicy;
  readonly workerId: string;
  readonly concurrency: number;
}

const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, capMs: 300_000, maxAttempts: 10 };

/** Applies defaults and rejects settings the bus cannot run with. */
export function resolveBusOptions(options: EmbeddedBusOptions): ResolvedBusOptions {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const resolved: ResolvedBusOptions = {
    db: options.db,
    groups: options.groups,
    logger: options.logger,
    metrics: options.metrics,
    topics: options.topics,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    batchSize: options.batchSize ?? 100,
    leaseMs: options.leaseMs ?? 30_000,
    retry,
    workerId: options.workerId ?? defaultWorkerId(),
    concurrency: options.concurrency ?? 4,
  };
  validate(resolved);

  return resolved;
}

function validate(options: ResolvedBusOptions): void {
  requirePositiveInteger('pollIntervalMs', options.pollIntervalMs);
  requirePositiveInteger('batchSize', options.batchSize);
  requirePositiveInteger('leaseMs', options.leaseMs);
  requirePositiveInteger('concurrency', options.concurrency);
  requirePositiveInteger('retry.baseMs', options.retry.baseMs);
  requirePositiveInteger('retry.capMs', options.retry.capMs);
  requirePositiveInteger('retry.maxAttempts', options.retry.maxAttempts);
  if (options.retry.capMs < options.retry.baseMs) {
    const { baseMs, capMs } = options.retry;
    throw new RangeError(`retry.capMs (${capMs}) must be at least retry.baseMs (${baseMs})`);
  }
  if (options.workerId.length === 0) throw new RangeError('workerId must not be empty');
}

function requirePositiveInteger(name: string, value: number): void {
  if (Number.isInteger(value) && value > 0) return;

  throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
