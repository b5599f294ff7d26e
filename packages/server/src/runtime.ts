import type { Topic } from '@avior/contract';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { App } from './gateway/app-types.ts';
import { createAllModules } from './modules/all.modules.ts';
import type { AviorModule } from './modules/module.ts';
import { createEmbeddedBus, type EmbeddedBus } from './platform/bus/embedded-bus.ts';
import type { BusMetrics } from './platform/bus/bus.metrics.ts';
import { openPlatform, type Platform } from './platform/platform.ts';
import type { Logger } from './platform/telemetry/logger.ts';
import type { Metrics } from './platform/telemetry/metrics.ts';
import { seedDemoIfEmpty } from './seed/demo-seed.ts';

export type Role = 'api' | 'worker';

export interface StartOptions {
  /** Which duties this process takes; both by default. */
  readonly roles?: readonly Role[];
  /** Topics a worker consumes; all by default. */
  readonly topics?: readonly Topic[];
  /** Listen on the configured port; tests use `app.inject` instead. */
  readonly listen?: boolean;
  readonly logger?: Logger;
  /** Lease of a claimed event; a worker that dies holds its event this long at most. */
  readonly busLeaseMs?: number;
}

export interface RunningAvior {
  readonly platform: Platform;
  readonly app: App | undefined;
  readonly bus: EmbeddedBus | undefined;
  /** Address the server listens on, when it listens. */
  readonly url: string | undefined;
  stop(): Promise<void>;
}

const LAG_SAMPLE_INTERVAL_MS = 5_000;

/**
 * Starts Avior in this process: the database (migrated and seeded), the modules, the HTTP and
 * WebSocket server for the api role, and the event consumers for the worker role.
 */
export async function startAvior(
  config: Config,
  options: StartOptions = {},
): Promise<RunningAvior> {
  const roles = new Set(options.roles ?? ['api', 'worker']);
  const platform = await openPlatform(config, options.logger ? { logger: options.logger } : {});
  if (config.seedDemo && (await seedDemoIfEmpty(platform.db))) {
    platform.logger.info('seeded the demo organisation');
  }

  const modules = createAllModules(platform);
  const bus = roles.has('worker') ? await startBus(platform, modules, options) : undefined;
  const app = roles.has('api')
    ? await buildApp(
        platform,
        modules.flatMap((m) => (m.routes ? [m.routes] : [])),
      )
    : undefined;
  const url =
    app && options.listen !== false
      ? await app.listen({ port: config.port, host: config.host })
      : undefined;
  const lagTimer = bus
    ? setInterval(() => void bus.lag().catch(() => undefined), LAG_SAMPLE_INTERVAL_MS)
    : undefined;
  lagTimer?.unref();

  return {
    platform,
    app,
    bus,
    url,
    async stop() {
      if (lagTimer) clearInterval(lagTimer);
      await app?.close();
      await bus?.stop();
      for (const module of modules) await module.close?.();
      await platform.close();
    },
  };
}

async function startBus(
  platform: Platform,
  modules: readonly AviorModule[],
  options: StartOptions,
): Promise<EmbeddedBus> {
  const { config } = platform;
  const bus = createEmbeddedBus({
    db: platform.db,
    groups: modules.flatMap((module) => module.consumers ?? []),
    logger: platform.logger,
    metrics: toBusMetrics(platform.metrics),
    topics: options.topics,
    pollIntervalMs: config.busPollIntervalMs,
    leaseMs: options.busLeaseMs ?? 30_000,
    retry: { baseMs: config.busRetryBaseMs, maxAttempts: config.busMaxAttempts },
  });
  platform.onCommitted(() => bus.wake());
  await bus.start();
  return bus;
}

function toBusMetrics(metrics: Metrics): BusMetrics {
  return {
    onJobDone: (topic, group, outcome, seconds) =>
      metrics.jobDuration.labels(topic, group, outcome).observe(seconds),
    onLag: (topic, group, pending, oldestAgeSeconds) => {
      metrics.busLag.labels(topic, group).set(pending);
      metrics.busOldest.labels(topic, group).set(oldestAgeSeconds);
    },
  };
}
