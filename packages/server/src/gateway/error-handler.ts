import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/error-catalogue.ts';
import { describeValidationErrors } from './validation.ts';

// Fastify's own error codes that are the caller's fault, mapped to the catalogue.
const FASTIFY_ERRORS: Readonly<
  Record<string, (error: FastifyError, request: FastifyRequest) => AppError>
> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_error, request) =>
    new AppError('PAYLOAD_TOO_LARGE', { limit: request.routeOptions.bodyLimit }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (error) =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', {
      contentType: error.message.split(': ').at(-1) ?? 'unknown',
      expected: 'this route accepts application/json',
    }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new AppError('INVALID_JSON', {
      reason: 'the body is empty but content-type is application/json',
    }),
  FST_ERR_CTP_INVALID_JSON_BODY: (error) => new AppError('INVALID_JSON', { reason: error.message }),
  FST_INVALID_MULTIPART_CONTENT_TYPE: () =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', {
      contentType: 'non-multipart',
      expected: 'this route accepts multipart/form-data',
    }),
  FST_REQ_FILE_TOO_LARGE: (error) =>
    new AppError('PAYLOAD_TOO_LARGE', {
      limit: error.message.match(/\d+/)?.[0] ?? 'MAX_UPLOAD_BYTES',
    }),
};

// PostgreSQL errors (SQLSTATE codes) that a request's values cause rather than a fault.
const DATABASE_ERRORS: Readonly<Record<string, () => AppError>> = {
  '23505': () =>
    new AppError('CONFLICT', {
      reason: 'another request created the same record at the same moment; retry',
    }),
  '22P05': () =>
    new AppError('VALIDATION_FAILED', {
      summary: 'text contains a character the database cannot store',
    }),
  '22021': () => new AppError('VALIDATION_FAILED', { summary: 'text is not valid UTF-8' }),
  '22008': () => new AppError('VALIDATION_FAILED', { summary: 'a date or time is out of range' }),
  '22007': () => new AppError('VALIDATION_FAILED', { summary: 'a date or time is invalid' }),
  '22003': () => new AppError('VALIDATION_FAILED', { summary: 'a number is out of range' }),
};

// Admin shutdown, crash shutdown, cannot connect now, and connection exceptions.
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
]);

const MULTIPART_PARSE_ERRORS = [
  'Multipart: Boundary not found',
  'Unexpected end of form',
  'Malformed part header',
];

function isDatabaseUnavailable(error: FastifyError): boolean {
  return (
    (error.code !== undefined && UNAVAILABLE_CODES.has(error.code)) ||
    /Connection terminated|connection timeout/i.test(error.message ?? '')
  );
}

/**
 * Turns every error into `{ code, message, details }` with its status. Expected 4xx errors are
 * logged at info, everything else at error, so alerts fire only on surprises.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);
    // A caller's mistake is routine: its code and message say enough, without a stack trace.
    if (appError.status >= 500) {
      request.log.error({ err: error, code: appError.code }, `request failed: ${appError.message}`);
    } else {
      request.log.info({ code: appError.code }, `request rejected: ${appError.message}`);
    }
    return sendError(reply, appError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new AppError('ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] }),
    ),
  );
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .status(error.status)
    .send({ code: error.code, message: error.message, details: error.details });
}

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;

  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const problems = describeValidationErrors(error.validation, part);
    const summary = problems.map((p) => `${p.field} ${p.problem}`).join('; ');
    return new AppError('VALIDATION_FAILED', { summary, problems });
  }

  const mapped = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (mapped) return mapped(error, request);

  const fromDatabase = error.code ? DATABASE_ERRORS[error.code] : undefined;
  if (fromDatabase) return fromDatabase();
  if (isDatabaseUnavailable(error))
    return new AppError('NOT_READY', { reason: 'the database is unavailable; retry shortly' });
  if (MULTIPART_PARSE_ERRORS.some((text) => error.message?.startsWith(text))) {
    return new AppError('VALIDATION_FAILED', {
      summary: `multipart body is malformed: ${error.message}`,
    });
  }

  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', { summary: error.message });
  }
  return new AppError('INTERNAL', { reqId: request.id });
}
