import { TUS_VERSION } from '@avior/contract';
import { ERRORS } from '@tus/server';
import { AppError, notFound } from '../../platform/errors/error-catalogue.ts';

/** An error as @tus/server throws it: its status and a plain-text body. */
interface TusError {
  readonly status_code: number;
  readonly body: string;
}

/** Facts about the failed request that some messages quote. */
export interface TusErrorContext {
  readonly uploadId: string;
  readonly requestId: string;
  readonly maxUploadBytes: number;
  /** Upload-Offset as the client sent it. */
  readonly receivedOffset: string | null;
  /** Reads the upload's stored offset and length, for offset and size errors. */
  readonly readUpload: () => Promise<{ offset: number; size: number | undefined } | undefined>;
}

function isTusError(error: unknown): error is TusError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as TusError).status_code === 'number' &&
    typeof (error as TusError).body === 'string'
  );
}

/**
 * Turns an error from @tus/server's checks, or from the finish hook, into the catalogue's
 * error. An unexpected error becomes INTERNAL, which the caller logs with its stack.
 */
export async function toCatalogueError(
  error: unknown,
  context: TusErrorContext,
): Promise<AppError> {
  if (error instanceof AppError) return error;

  const id = context.uploadId;
  switch (error) {
    case ERRORS.FILE_NOT_FOUND:
      return notFound('Upload', id);
    case ERRORS.FILE_NO_LONGER_EXISTS:
      return new AppError('UPLOAD_EXPIRED', { id });
    case ERRORS.INVALID_OFFSET: {
      const stored = await context.readUpload();
      return new AppError('UPLOAD_OFFSET_MISMATCH', {
        id,
        received: context.receivedOffset ?? '(none)',
        offset: stored?.offset ?? 'unknown',
      });
    }
    case ERRORS.ERR_SIZE_EXCEEDED: {
      const stored = await context.readUpload();
      const remaining = stored?.size === undefined ? 'unknown' : stored.size - stored.offset;
      return new AppError('PAYLOAD_TOO_LARGE', { limit: remaining, id });
    }
    case ERRORS.ERR_MAX_SIZE_EXCEEDED:
      return new AppError('PAYLOAD_TOO_LARGE', { limit: context.maxUploadBytes });
    case ERRORS.ABORTED:
      return new AppError('CONFLICT', {
        reason: `another request for upload ${id} took it over; send HEAD and resume from its Upload-Offset`,
      });
  }

  if (isTusError(error) && error.status_code < 500) {
    return new AppError('VALIDATION_FAILED', { summary: error.body.trim() });
  }
  return new AppError('INTERNAL', { reqId: context.requestId });
}

/**
 * Returns the JSON error body for a response that @tus/server wrote without one: a missing
 * Tus-Resumable (412) or a malformed tus header (400). The status may change to the code's.
 */
export function fallbackError(status: number, body: string): AppError {
  if (status === 412) {
    return new AppError('TUS_VERSION_UNSUPPORTED', { received: '(none)', supported: TUS_VERSION });
  }
  if (status === 400) return new AppError('VALIDATION_FAILED', { summary: body.trim() });
  if (status === 404) return notFound('Upload', '(unknown)');

  return new AppError('INTERNAL', { reqId: '(unknown)' });
}

/** Serialises an error as the API's `{ code, message, details }` body. */
export function toErrorBody(error: AppError): string {
  return JSON.stringify({ code: error.code, message: error.message, details: error.details });
}

/** Returns whether `body` is already an API error body. */
export function isErrorBody(body: string): boolean {
  return body.startsWith('{"code":');
}
