/** Reason an upload was rejected. Each code is final, because the same bytes fail again. */
export type ImageRejectionCode =
  'empty' | 'unsupported_type' | 'corrupt' | 'too_large' | 'too_many_pixels';

/** HTTP status that fits each rejection, for the API's error catalogue. */
export const IMAGE_REJECTION_STATUS: Readonly<Record<ImageRejectionCode, number>> = {
  empty: 400,
  unsupported_type: 415,
  corrupt: 422,
  too_large: 413,
  too_many_pixels: 413,
};

/**
 * Raised when an upload cannot become a photo. The message is written for the inspector
 * who took it.
 *
 * @example
 * throw new ImageRejectedError('empty', 'The file is empty: it contains no bytes.');
 */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';
  readonly code: ImageRejectionCode;

  constructor(code: ImageRejectionCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Raised by the worker pool when a worker thread dies while processing a photo. */
export class ImageWorkerError extends Error {
  override readonly name = 'ImageWorkerError';
}
