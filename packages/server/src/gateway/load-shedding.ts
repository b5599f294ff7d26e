import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors/error-catalogue.ts';
import type { Metrics } from '../platform/telemetry/metrics.ts';

// How often the event loop delay is sampled; shorter reacts faster to a stall and to its end.
const SAMPLE_INTERVAL_MS = 200;

// Resolution of the delay histogram; its samples include this much by construction.
const RESOLUTION_MS = 10;

const RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 OVERLOADED, before any other work, while the mean event loop delay of the last
 * sample window is above `maxDelayMs`. An overloaded instance then fails fast and a balancer or
 * client can go elsewhere, instead of queueing requests until they time out. A window with no
 * sample (right after start-up) keeps the previous figure, so a new instance does not shed.
 */
export function installLoadShedding(
  app: FastifyInstance,
  maxDelayMs: number,
  metrics: Metrics,
  isExempt: (url: string) => boolean,
): void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let delayMs = 0;
  const sampler = setInterval(() => {
    if (histogram.count > 0) delayMs = Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS);
    histogram.reset();
  }, SAMPLE_INTERVAL_MS);
  sampler.unref();

  app.addHook('onRequest', async (request, reply) => {
    if (delayMs <= maxDelayMs || isExempt(request.url)) return;

    metrics.shedRequests.inc();
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    throw new AppError('OVERLOADED', { retryAfterSeconds: RETRY_AFTER_SECONDS });
  });
  app.addHook('onClose', async () => {
    clearInterval(sampler);
    histogram.disable();
  });
}
