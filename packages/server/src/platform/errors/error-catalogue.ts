/**
 * The one catalogue of errors the API returns. Each code has an HTTP status and a message
 * template whose `{name}` placeholders are filled from the error's details. The response body is
 * always `{ code, message, details }`.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: 'Invalid request: {summary}' },
  INVALID_JSON: { status: 400, message: 'Invalid JSON body: {reason}' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required: {reason}' },
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid email or password' },
  FORBIDDEN: { status: 403, message: 'Your role ({role}) may not {action}' },
  NOT_FOUND: { status: 404, message: '{entity} {id} not found' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No route {method} {url}' },
  CONFLICT: { status: 409, message: 'Conflict: {reason}' },
  INVALID_STATE: { status: 409, message: '{entity} {id} is {state}: {reason}' },
  MEDIA_ALREADY_UPLOADED: {
    status: 409,
    message: 'Media {mediaId} is already on the server (status {status}); treat the photo as sent',
  },
  MEDIA_ID_CONFLICT: {
    status: 409,
    message: 'mediaId {mediaId} is already used by another photo; generate a new id',
  },
  UPLOAD_OFFSET_MISMATCH: {
    status: 409,
    message:
      'Upload-Offset {received} does not match the {offset} bytes stored for upload {id}; send HEAD and resume from its Upload-Offset',
  },
  SIGNED_URL_INVALID: { status: 403, message: 'Signed link rejected: {reason}' },
  SIGNED_URL_EXPIRED: {
    status: 410,
    message: 'Signed link expired at {expiredAt}; request a new one',
  },
  UPLOAD_EXPIRED: {
    status: 410,
    message: 'Upload {id} expired; create a new upload with the same mediaId',
  },
  TUS_VERSION_UNSUPPORTED: {
    status: 412,
    message: 'Tus-Resumable {received} is not supported; send Tus-Resumable: {supported}',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Body too large: the limit is {limit} bytes' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported content type {contentType}: {expected}',
  },
  ANSWER_INVALID: { status: 422, message: 'Invalid answer to question {questionId}: {reason}' },
  TEMPLATE_INVALID: { status: 422, message: 'Invalid template: {summary}' },
  SURVEY_INCOMPLETE: {
    status: 422,
    message: 'Survey {id} cannot be submitted: {count} required questions are unanswered',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests: retry after {retryAfterSeconds} seconds',
  },
  OVERLOADED: {
    status: 503,
    message: 'Server overloaded: retry after {retryAfterSeconds} seconds',
  },
  NOT_READY: { status: 503, message: 'Service not ready: {reason}' },
  INTERNAL: { status: 500, message: 'Internal error; the request id is {reqId}' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export type ErrorDetails = Readonly<Record<string, unknown>>;

/** An error the API reports to its caller with a catalogued code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}) {
    super(formatMessage(ERROR_CATALOGUE[code].message, details));
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = details;
  }
}

export function formatMessage(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = details[name];
    return value === undefined ? whole : String(value);
  });
}

export const notFound = (entity: string, id: string): AppError =>
  new AppError('NOT_FOUND', { entity, id });

export const invalidState = (entity: string, id: string, state: string, reason: string): AppError =>
  new AppError('INVALID_STATE', { entity, id, state, reason });
