/// <reference lib="webworker" />
import type { CompressRequest, CompressResponse } from './compress.protocol.ts';
import { fitWithin } from './image-fit.ts';

// Photo compression off the main thread: decodes the photo upright (EXIF orientation applied by
// createImageBitmap with imageOrientation 'from-image'), draws it on an OffscreenCanvas at no
// more than the requested longest side and encodes JPEG copies for upload and preview. The
// copies carry no EXIF, which is why the page reads capture time and GPS from the original.

const scope = self as unknown as DedicatedWorkerGlobalScope;
const THUMBNAIL_QUALITY = 0.75;

scope.onmessage = (event: MessageEvent<CompressRequest>) => {
  void compress(event.data).then((response) => scope.postMessage(response));
};

async function compress(request: CompressRequest): Promise<CompressResponse> {
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
    return {
      id: request.id,
      outcome: 'undecodable',
      message: 'no OffscreenCanvas in this browser',
    };
  }

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(request.file, { imageOrientation: 'from-image' });
  } catch (error) {
    return { id: request.id, outcome: 'undecodable', message: describe(error) };
  }

  try {
    const main = await encode(bitmap, request.maxSide, request.quality);
    const thumbnail = await encode(bitmap, request.thumbnailSide, THUMBNAIL_QUALITY);
    return { id: request.id, outcome: 'compressed', ...main, thumbnail: thumbnail.blob };
  } catch (error) {
    return { id: request.id, outcome: 'failed', message: describe(error) };
  } finally {
    bitmap.close();
  }
}

async function encode(
  bitmap: ImageBitmap,
  maxSide: number,
  quality: number,
): Promise<{ blob: Blob; width: number; height: number }> {
  const size = fitWithin(bitmap.width, bitmap.height, maxSide);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('OffscreenCanvas has no 2d context');

  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return { blob, ...size };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
