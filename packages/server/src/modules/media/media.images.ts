import {
  createImageProcessorPool,
  ImageWorkerError,
  type ImageLimits,
  type ImageProcessorPool,
  type ProcessedImage,
} from './image/index.ts';

/** Turns the bytes of an upload into a processed photo, off the event loop. */
export interface PhotoProcessor {
  /** Raises ImageRejectedError for bytes that can never become a photo. */
  process(bytes: Buffer): Promise<ProcessedImage>;
  close(): Promise<void>;
}

export interface PhotoProcessorOptions {
  readonly workers: number;
  readonly limits: ImageLimits;
}

/**
 * Creates a processor whose worker threads start on the first photo, so a process that only
 * serves the API never starts them.
 *
 * @example
 * const photos = createPhotoProcessor({ workers: 2, limits });
 * const processed = await photos.process(bytes);
 * await photos.close();
 */
export function createPhotoProcessor(options: PhotoProcessorOptions): PhotoProcessor {
  let pool: ImageProcessorPool | null = null;
  let closed = false;

  return {
    process(bytes) {
      if (closed) return Promise.reject(new ImageWorkerError('The photo processor is closed.'));

      pool ??= createImageProcessorPool({ size: options.workers });
      return pool.process(bytes, options.limits);
    },
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
