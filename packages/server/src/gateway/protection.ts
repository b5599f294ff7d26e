import { createHash } from 'node:crypto';
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

// A caller is its token when it has one, so users behind one NAT do not share a budget. The
// token is hashed so it never sits in memory as a map key.
function callerKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (!authorization) return `ip:${request.ip}`;

  return `token:${createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`;
}

function isOperationsRoute(url: string): boolean {
  return url.startsWith('/health/') || url === '/metrics';
}
