import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/error-catalogue.ts';
import type { Metrics } from '../platform/telemetry/metrics.ts';
import { sendError } from './error-handler.ts';

// How often the event loop delay is sampled; shorter reacts faster to a stall and to its end.
const LAG_SAMPLE_INTERVAL_MS = 200;

export interface ProtectionOptions {
  readonly rateLimitPerMinute: number;
  readonly maxEventLoopDelayMs: number;
  readonly metrics: Metrics;
}

/**
 * Rate limits per caller and sheds load with 503 when the event loop lags, so an overloaded
 * instance answers fast instead of queueing requests until they time out.
 */
export async function installProtection(
  app: FastifyInstance,
  options: ProtectionOptions,
): Promise<void> {
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: callerKey,
    allowList: (request) => isOperationsRoute(request.url),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });

  if (options.maxEventLoopDelayMs === 0) return;

  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    sampleInterval: LAG_SAMPLE_INTERVAL_MS,
    retryAfter: 5,
    exposeStatusRoute: false,
    pressureHandler: (request, reply) => {
      if (isOperationsRoute(request.url)) return;
      options.metrics.shedRequests.inc();
      void sendError(
        reply.header('retry-after', '5'),
        new AppError('OVERLOADED', { retryAfterSeconds: 5 }),
      );
    },
  });
}

// A caller is the user of a valid access token, or else the client's address. Keying on the
// raw header would let a client mint a fresh budget per request with junk tokens.
function callerKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    try {
      return `user:${request.server.jwt.verify<{ sub: string }>(header.slice(7)).sub}`;
    } catch {
      // An invalid token counts against the address it came from.
    }
  }
  return `ip:${request.ip}`;
}

function isOperationsRoute(url: string): boolean {
  return url.startsWith('/health/') || url === '/metrics';
}
