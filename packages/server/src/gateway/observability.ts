import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../platform/telemetry/metrics.ts';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** Records request latency by route template, serves /metrics and the health probes. */
export function installObservability(
  app: FastifyInstance,
  metrics: Metrics,
  readiness: readonly ReadinessCheck[],
): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration
      .labels(request.method, route, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });

  app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'live' }));

  app.get('/health/ready', { schema: { hide: true } }, async (_request, reply) => {
    const failures: { name: string; error: string }[] = [];
    for (const probe of readiness) {
      await probe.check().catch((error: unknown) => {
        failures.push({ name: probe.name, error: (error as Error).message });
      });
    }
    if (failures.length === 0) return { status: 'ready' };

    return reply.status(503).send({
      code: 'NOT_READY',
      message: `Service not ready: ${failures.map((f) => `${f.name}: ${f.error}`).join('; ')}`,
      details: { failures },
    });
  });
}
