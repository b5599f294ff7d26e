import type { Topic } from '@avior/contract';
import { buildApp } from './app.ts';
import { webAppRoutes } from './gateway/web-app.ts';
import type { Config } from './config.ts';
import type { App } from './gateway/app-types.ts';
import { createAllModules } from './modules/all.modules.ts';
import type { AviorModule } from './modules/module.ts';
import { createEmbeddedBus, type EmbeddedBus } from './platform/bus/embedded-bus.ts';
import { PostgresFanout } from './platform/realtime/postgres-fanout.ts';
import type { BusMetrics } from './platform/bus/bus.metrics.ts';
import { openPlatform, type Platform } from './platform/platform.ts';
import type { Logger } from './platform/telemetry/logger.ts';
import type { Metrics } from './platform/telemetry/metrics.ts';
import { seedDemoIfEmpty } from './seed/demo-seed.ts';

export type Role = 'api' | 'worker';

export interface StartOptions {
  /** Duties of this process: both by default. */
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
  const roles = new Set<Role>(options.roles ?? ['api', 'worker']);
  const platform = await openPlatform(config, options.logger ? { logger: options.logger } : {});
  if (config.seedDemo && (await seedDemoIfEmpty(platform.db))) {
    platform.logger.info('seeded the demo organisation');
  }

  warnAboutGeneratedSecret(config, platform.logger);

  const modules = createAllModules(platform);
  const parts: StartedParts = { platform, modules };
  try {
    parts.fanout = await startFanout(platform, roles);
    parts.bus = roles.has('worker') ? await startBus(platform, modules, options) : undefined;
    const registrars = modules.flatMap((m) => (m.routes ? [m.routes] : []));
    const webApp = config.webDistDir ? webAppRoutes(config.webDistDir) : undefined;
    if (webApp) registrars.push(webApp);
    else if (roles.has('api')) {
      platform.logger.warn(
        { webDistDir: config.webDistDir || '(unset)' },
        'the web app is not served: build it with `npm run build` or set WEB_DIST_DIR',
      );
    }
    const port = roles.has('api') ? config.port : config.metricsPort;
    // A worker-only process serves just /metrics and the health probes, and only on request.
    parts.app =
      roles.has('api') || port !== undefined
        ? await buildApp(platform, roles.has('api') ? registrars : [])
        : undefined;
    const url =
      parts.app && options.listen !== false
        ? await parts.app.listen({ port: port ?? config.port, host: config.host })
        : undefined;
    return running(parts, url);
  } catch (error) {
    // A port in use or a failed start must not leave a bus polling in a process that reported
    // failure, so everything started so far is stopped before the error goes up.
    await stopParts(parts);
    throw error;
  }
}

interface StartedParts {
  readonly platform: Platform;
  readonly modules: readonly AviorModule[];
  fanout?: PostgresFanout | undefined;
  bus?: EmbeddedBus | undefined;
  app?: App | undefined;
  lagTimer?: NodeJS.Timeout | undefined;
}

function running(parts: StartedParts, url: string | undefined): RunningAvior {
  const { bus } = parts;
  parts.lagTimer = bus
    ? setInterval(() => void bus.lag().catch(() => undefined), LAG_SAMPLE_INTERVAL_MS)
    : undefined;
  parts.lagTimer?.unref();
  return { platform: parts.platform, app: parts.app, bus, url, stop: () => stopParts(parts) };
}

async function stopParts(parts: StartedParts): Promise<void> {
  if (parts.lagTimer) clearInterval(parts.lagTimer);
  // Each step runs even if an earlier one fails (Fastify cannot close a server whose listen
  // failed), so the database and its folder lock are always released.
  const steps = [
    () => parts.app?.close(),
    () => parts.bus?.stop(),
    ...parts.modules.map((module) => () => module.close?.()),
    () => parts.fanout?.close(),
    () => parts.platform.close(),
  ];
  for (const step of steps) {
    await Promise.resolve()
      .then(step)
      .catch((error: unknown) =>
        parts.platform.logger.warn({ err: error }, 'shutdown step failed'),
      );
  }
}

/**
 * On PostgreSQL the worker that stores a notification may not be the process holding the
 * user's socket, so real-time messages travel through LISTEN/NOTIFY, and API processes listen.
 */
async function startFanout(
  platform: Platform,
  roles: ReadonlySet<Role>,
): Promise<PostgresFanout | undefined> {
  const { databaseUrl } = platform.config;
  if (!databaseUrl) return undefined;

  const fanout = new PostgresFanout(databaseUrl, platform.logger);
  platform.realtime.useFanout(fanout);
  if (roles.has('api')) await fanout.listen((envelope) => platform.realtime.deliverLocal(envelope));
  return fanout;
}

function warnAboutGeneratedSecret(config: Config, logger: Logger): void {
  if (!config.databaseUrl || config.secretSource !== 'generated') return;

  logger.warn(
    { secretFile: `${config.dataDir}/secret` },
    'AVIOR_SECRET is not set, so this process signs with a secret generated in its data folder; processes with another data folder reject its tokens and links. Set the same AVIOR_SECRET on every instance.',
  );
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
