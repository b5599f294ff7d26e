import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/error-catalogue.ts';
import type { Metrics } from '../platform/telemetry/metrics.ts';
import { installLoadShedding } from './load-shedding.ts';

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
  // Shedding runs first: an overloaded instance should spend nothing on a request it refuses.
  if (options.maxEventLoopDelayMs > 0) {
    installLoadShedding(app, options.maxEventLoopDelayMs, options.metrics, isOperationsRoute);
  }

  await app.register(rateLimit, {
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: callerKey,
    allowList: (request) => isOperationsRoute(request.url),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
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
