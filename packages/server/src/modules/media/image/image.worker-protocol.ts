import { ImageRejectedError } from './image.errors.ts';
import type { ImageRejectionCode } from './image.errors.ts';
import type { ImageLimits, ProcessedImage } from './image.types.ts';

/** Message from the pool to a worker: one photo to process. */
export interface WorkerJobMessage {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly limits: ImageLimits;
}

/** An error as it crosses the thread boundary, where class identity is lost. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code: ImageRejectionCode | null;
  readonly stack: string | undefined;
}

/** Message from a worker to the pool. */
export type WorkerReplyMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly result: ProcessedImage }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error), code: null, stack: undefined };
  }

  const code = error instanceof ImageRejectedError ? error.code : null;
  return { name: error.name, message: error.message, code, stack: error.stack };
}

/** Rebuilds the error, restoring ImageRejectedError so that callers can branch on `code`. */
export function deserializeError(serialized: SerializedError): Error {
  const error = createError(serialized);
  if (serialized.stack !== undefined) {
    error.stack = serialized.stack;
  }
  return error;
}

function createError({ code, message, name }: SerializedError): Error {
  if (code !== null) {
    return new ImageRejectedError(code, message);
  }

  const error = new Error(message);
  error.name = name;
  return error;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Turns the derivative bytes back into Buffers, since structured cloning yields Uint8Arrays. */
export function reviveResult(result: ProcessedImage): ProcessedImage {
  const derivatives = result.derivatives.map((derivative) => ({
    ...derivative,
    bytes: toBuffer(derivative.bytes),
  }));
  return { ...result, derivatives };
}
