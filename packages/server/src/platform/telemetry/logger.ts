import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the process logger. Field names are fixed across the code base: reqId, traceId, orgId,
 * surveyId, mediaId, eventId, topic, group, durationMs, err.
 */
export function createLogger(level: string, name = 'avior'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: [
      'req.headers.authorization',
      'req.headers.cookie',
      'password',
      'refreshToken',
      'accessToken',
    ],
    serializers: { req: serializeRequest, err: serializeError },
  });
}

interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly host?: string;
  readonly ip?: string;
}

// WebSocket clients send their access token as a query parameter, because browsers cannot set
// headers on a WebSocket. A signed link's signature works without a login until it expires.
// Neither may reach the logs.
function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: request.url.replace(/([?&](?:access_token|sig)=)[^&]*/g, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
  };
}

// Database drivers attach the failed query's parameters to their errors, and those can be
// password hashes or personal data, so only the statement's shape is kept.
function serializeError(error: Error): Record<string, unknown> {
  const serialized: Record<string, unknown> = { ...pino.stdSerializers.err(error) };
  delete serialized.parameters;
  delete serialized.params;
  return serialized;
}
