import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { App } from './gateway/app-types.ts';
import { installAuth } from './gateway/auth.ts';
import { installErrorHandler } from './gateway/error-handler.ts';
import { installObservability } from './gateway/observability.ts';
import { installProtection } from './gateway/protection.ts';
import { installNulCheck, installValidators } from './gateway/validation.ts';
import { newId } from './platform/ids.ts';
import type { Platform } from './platform/platform.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { continueTrace, enterTrace } from './platform/telemetry/trace-context.ts';

/** JSON bodies above this size are rejected with 413; photos use the upload routes. */
const JSON_BODY_LIMIT = 2 * 1024 * 1024;

export type RouteRegistrar = (app: App, platform: Platform) => void | Promise<void>;

/**
 * Builds the HTTP and WebSocket server with the gateway's duties (validation, authentication,
 * rate limits, load shedding, request ids, one error format) and the routes of `modules`.
 */
export async function buildApp(
  platform: Platform,
  registrars: readonly RouteRegistrar[],
): Promise<App> {
  const { config, logger, metrics } = platform;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: JSON_BODY_LIMIT,
    // genReqId reads x-request-id itself, keeping a caller's id only when it looks like one.
    requestIdHeader: false,
    // Health probes and scrapes run every few seconds; logging them would drown the rest.
    logController: new LogController({
      requestIdLogLabel: 'reqId',
      disableRequestLogging: (request) =>
        request.url.startsWith('/health/') || request.url === '/metrics',
    }),
    genReqId: (request) => acceptedRequestId(request.headers['x-request-id']) ?? newId(),
    // Fastify takes the same values; the cast only picks its HTTP/1 overload.
    trustProxy: config.trustProxy as boolean,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  installNulCheck(app);
  installErrorHandler(app);
  app.addHook('onRequest', async (request) => {
    const trace = continueTrace(request.headers.traceparent as string | undefined);
    enterTrace(trace);
    request.log = request.log.child({ traceId: trace.traceId });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Avior API',
        version: '0.1.0',
        description: 'Field survey and inspection platform',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await installProtection(app, {
    rateLimitPerMinute: config.rateLimitPerMinute,
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    metrics,
  });
  await app.register(cookie);
  installAuth(app, config.secret, config.accessTokenTtlSeconds);
  await app.register(multipart, {
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10 },
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  installObservability(app, metrics, [
    { name: 'database', check: async () => void (await sql`SELECT 1`.execute(platform.db)) },
  ]);

  for (const register of registrars) await register(app, platform);
  await app.ready();
  return app;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

// A caller's id that could carry other text into logs and error messages is replaced.
function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
}
