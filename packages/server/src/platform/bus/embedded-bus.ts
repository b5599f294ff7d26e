import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyConsumerGroup } from './bus.consumer.ts';
import { selectActiveGroups } from './bus.groups.ts';
import {
  resolveBusOptions,
  type EmbeddedBusOptions,
  type ResolvedBusOptions,
} from './bus.options.ts';
import { ensureCursors, fanOut } from './cursor.repository.ts';
import { claimDue, extendLeases, type ClaimedDelivery } from './delivery.repository.ts';
import { runDelivery, type RunnerDependencies } from './delivery.runner.ts';
import { measureLag, type GroupLag } from './lag.repository.ts';

export interface EmbeddedBus {
  /** Checks that every consumed topic has a group, then polls and runs handlers. */
  start(): Promise<void>;
  /** Stops polling and waits for the handlers that are running to finish. */
  stop(): Promise<void>;
  /** Polls now instead of at the next interval. Call it after committing an event. */
  wake(): void;
  /** Polls and runs handlers until every consumed event is finished. Rejects after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  /** Measures each group's backlog and reports it to the `onLag` metrics hook. */
  lag(): Promise<readonly GroupLag[]>;
}

interface InFlight {
  readonly delivery: ClaimedDelivery;
  readonly done: Promise<void>;
}

// Bounds one poll's fan-out so a large backlog does not delay claiming. The next poll goes on.
const MAX_BATCHES_PER_POLL = 10;
const MAX_DRAIN_SLEEP_MS = 25;
const FAILED_POLL_LOG_EVERY = 100;

/**
 * Creates the event bus that runs inside the server or worker process. It fans the outbox out
 * into per-group deliveries and runs each group's handler on them, sharing the work with every
 * other process that runs the same groups on the same database.
 *
 * @example
 * const bus = createEmbeddedBus({ db, groups: [notifyOnSubmit, generateReport], logger });
 * await bus.start();
 * process.once('SIGTERM', () => void bus.stop());
 */
export function createEmbeddedBus(options: EmbeddedBusOptions): EmbeddedBus {
  return new PollingBus(resolveBusOptions(options));
}

class PollingBus implements EmbeddedBus {
  readonly #options: ResolvedBusOptions;
  readonly #runner: RunnerDependencies;
  readonly #inFlight = new Set<InFlight>();
  #groups = new Map<string, AnyConsumerGroup>();
  #state: 'idle' | 'running' | 'stopping' = 'idle';
  #prepared: Promise<void> | undefined;
  #cycle: Promise<void> | undefined;
  #cycleRequested = false;
  #failedPolls = 0;
  #pollTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(options: ResolvedBusOptions) {
    this.#options = options;
    this.#runner = {
      db: options.db,
      logger: options.logger,
      metrics: options.metrics,
      retry: options.retry,
    };
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') return;

    await this.#prepare();
    this.#state = 'running';
    this.#pollTimer = setInterval(() => this.wake(), this.#options.pollIntervalMs);

    const groups = [...this.#groups.keys()];
    this.#options.logger.info(
      { workerId: this.#options.workerId, groups },
      `Event bus started for worker ${this.#options.workerId}: ${groups.join(', ')}`,
    );
    this.wake();
  }

  async stop(): Promise<void> {
    if (this.#state !== 'running') return;

    this.#state = 'stopping';
    clearInterval(this.#pollTimer);
    await this.#cycle;
    // Leases stay renewed until the last handler returns, so no other worker takes one over.
    await Promise.allSettled([...this.#inFlight].map((entry) => entry.done));
    this.#state = 'idle';

    this.#options.logger.info(
      { workerId: this.#options.workerId },
      `Event bus stopped for worker ${this.#options.workerId}`,
    );
  }

  wake(): void {
    if (this.#state !== 'running') return;

    void this.#requestCycle();
  }

  async drain(timeoutMs: number): Promise<void> {
    await this.#prepare();
    const deadline = Date.now() + timeoutMs;
    const pauseMs = Math.min(this.#options.pollIntervalMs, MAX_DRAIN_SLEEP_MS);

    for (;;) {
      await this.#requestCycle();
      const unfinished = await this.#countUnfinished();
      if (unfinished === 0 && this.#inFlight.size === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `Event bus drain timed out after ${timeoutMs} ms with ${unfinished} events unfinished`,
        );
      }

      await sleep(pauseMs);
    }
  }

  async lag(): Promise<readonly GroupLag[]> {
    await this.#prepare();
    const rows = await measureLag(this.#options.db, [...this.#groups.keys()]);
    for (const row of rows) {
      this.#options.metrics?.onLag?.(row.topic, row.group, row.pending, row.oldestAgeSeconds);
    }

    return rows;
  }

  #prepare(): Promise<void> {
    this.#prepared ??= this.#loadGroups().catch((error: unknown) => {
      this.#prepared = undefined;
      throw error;
    });

    return this.#prepared;
  }

  async #loadGroups(): Promise<void> {
    const active = selectActiveGroups(this.#options.groups, this.#options.topics);
    await ensureCursors(this.#options.db, active);
    this.#groups = new Map(active.map((group) => [group.name, group]));
  }

  // Polls are serialised per process, so a request during a poll runs one more after it.
  #requestCycle(): Promise<void> {
    if (this.#cycle) {
      this.#cycleRequested = true;
      return this.#cycle;
    }

    this.#cycle = this.#runCycles().finally(() => {
      this.#cycle = undefined;
    });
    return this.#cycle;
  }

  async #runCycles(): Promise<void> {
    do {
      this.#cycleRequested = false;
      await this.#poll();
    } while (this.#cycleRequested);
  }

  async #poll(): Promise<void> {
    try {
      await this.#fanOutAll();
      await this.#claimAndRun();
    } catch (error) {
      this.#logPollFailure(error);
      return;
    }

    if (this.#failedPolls > 0) {
      this.#options.logger.info(
        { workerId: this.#options.workerId, failedPolls: this.#failedPolls },
        `Event bus poll recovered for worker ${this.#options.workerId} after ` +
          `${this.#failedPolls} failed polls`,
      );
      this.#failedPolls = 0;
    }
  }

  // While the database is down every poll fails, so only the first failure and every
  // FAILED_POLL_LOG_EVERY-th one after it are logged.
  #logPollFailure(error: unknown): void {
    this.#failedPolls += 1;
    if (this.#failedPolls % FAILED_POLL_LOG_EVERY !== 1) return;

    this.#options.logger.error(
      { err: error, workerId: this.#options.workerId, failedPolls: this.#failedPolls },
      `Event bus poll failed for worker ${this.#options.workerId}: retrying at the next poll`,
    );
  }

  async #fanOutAll(): Promise<void> {
    const { db, batchSize } = this.#options;

    for (const group of this.#groups.values()) {
      for (let batch = 0; batch < MAX_BATCHES_PER_POLL; batch += 1) {
        const read = await fanOut(db, group, batchSize);
        if (read < batchSize) break;
        if (batch === MAX_BATCHES_PER_POLL - 1) this.#cycleRequested = true;
      }
    }
  }

  async #claimAndRun(): Promise<void> {
    const { db, concurrency, leaseMs, workerId } = this.#options;
    const limit = concurrency - this.#inFlight.size;
    if (limit <= 0 || this.#state === 'stopping') return;

    const groups = [...this.#groups.keys()];
    const claimed = await claimDue(db, { groups, limit, leaseMs, workerId });
    for (const delivery of claimed) this.#run(delivery);
  }

  #run(delivery: ClaimedDelivery): void {
    const group = this.#groups.get(delivery.group);
    if (!group) return;

    const entry: InFlight = {
      delivery,
      done: runDelivery(this.#runner, group, delivery)
        .catch((error: unknown) => this.#logUnrecorded(delivery, error))
        .finally(() => this.#settle(entry)),
    };
    this.#inFlight.add(entry);
    this.#heartbeatTimer ??= setInterval(
      () => void this.#renewLeases(),
      Math.max(1, Math.floor(this.#options.leaseMs / 3)),
    );
  }

  #settle(entry: InFlight): void {
    this.#inFlight.delete(entry);
    if (this.#inFlight.size === 0) {
      clearInterval(this.#heartbeatTimer);
      this.#heartbeatTimer = undefined;
    }

    this.wake();
  }

  async #renewLeases(): Promise<void> {
    const claims = [...this.#inFlight].map((entry) => entry.delivery);
    try {
      await extendLeases(this.#options.db, claims, this.#options.leaseMs);
    } catch (error) {
      this.#options.logger.warn(
        { err: error, workerId: this.#options.workerId },
        `Lease renewal failed for worker ${this.#options.workerId}: retrying at the next beat`,
      );
    }
  }

  async #countUnfinished(): Promise<number> {
    const rows = await measureLag(this.#options.db, [...this.#groups.keys()]);

    return rows.reduce((sum, row) => sum + row.pending, 0);
  }

  #logUnrecorded(delivery: ClaimedDelivery, error: unknown): void {
    this.#options.logger.error(
      {
        err: error,
        eventId: delivery.eventId,
        topic: delivery.event.topic,
        group: delivery.group,
        attempt: delivery.attempt,
      },
      `Outcome not recorded for event ${delivery.eventId}: the event runs again once its ` +
        'lease expires',
    );
  }
}
