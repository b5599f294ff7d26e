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
    redact: ['req.headers.authorization', 'password', 'refreshToken', 'accessToken'],
  });
}
