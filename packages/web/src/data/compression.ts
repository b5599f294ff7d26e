import type { CompressRequest, CompressResponse } from '../workers/compress.protocol.ts';

// The page side of photo compression: sends a photo to compress.worker.ts and waits for the
// copies. Returns null when the browser cannot decode the photo (HEIC in Chromium, say), so the
// original is uploaded and the server decodes it.

/** Longest side of the uploaded copy, in pixels; the server's largest tier is 2048 too. */
export const UPLOAD_MAX_SIDE = 2048;
export const THUMBNAIL_MAX_SIDE = 320;
export const UPLOAD_JPEG_QUALITY = 0.85;
const WORKER_TIMEOUT_MS = 60_000;

export interface CompressedPhoto {
  readonly blob: Blob;
  readonly thumbnail: Blob;
  readonly width: number;
  readonly height: number;
}

export interface PhotoCompressor {
  compress(file: Blob): Promise<CompressedPhoto | null>;
}

type Pending = (response: CompressResponse | null) => void;

/** A compressor backed by one lazily started module worker, shared by all photos. */
export function createWorkerCompressor(logger: Pick<Console, 'warn'> = console): PhotoCompressor {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const settleAll = () => {
    for (const settle of pending.values()) settle(null);
    pending.clear();
    worker = null;
  };

  const start = (): Worker | null => {
    if (worker) return worker;
    if (typeof Worker === 'undefined') return null;

    worker = new Worker(new URL('../workers/compress.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (event: MessageEvent<CompressResponse>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
    worker.onerror = (event) => {
      logger.warn('photo compression worker failed', event.message);
      settleAll();
    };
    return worker;
  };

  return {
    async compress(file) {
      const running = start();
      if (!running) return null;

      const request: CompressRequest = {
        id: nextId++,
        file,
        maxSide: UPLOAD_MAX_SIDE,
        thumbnailSide: THUMBNAIL_MAX_SIDE,
        quality: UPLOAD_JPEG_QUALITY,
      };
      const response = await new Promise<CompressResponse | null>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(request.id);
          resolve(null);
        }, WORKER_TIMEOUT_MS);
        pending.set(request.id, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
        running.postMessage(request);
      });

      if (response?.outcome === 'compressed') return response;
      if (response) logger.warn(`photo compression ${response.outcome}: ${response.message}`);
      return null;
    },
  };
}
