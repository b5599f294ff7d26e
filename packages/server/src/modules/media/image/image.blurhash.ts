import { encode } from 'blurhash';

import { openFlattened } from './image.pixels.ts';
import type { RawImage } from './image.decoder.ts';

/** Maximum width and height of the copy that blurhash reads, enough for 4 x 3 components. */
const BLURHASH_SIZE = 32;
const X_COMPONENTS = 4;
const Y_COMPONENTS = 3;

/** Computes a 4x3-component blurhash placeholder, transparency shown on white. */
export async function computeBlurhash(image: RawImage): Promise<string> {
  const { data, info } = await openFlattened(image)
    .resize({ width: BLURHASH_SIZE, height: BLURHASH_SIZE, fit: 'inside' })
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
  return encode(pixels, info.width, info.height, X_COMPONENTS, Y_COMPONENTS);
}
