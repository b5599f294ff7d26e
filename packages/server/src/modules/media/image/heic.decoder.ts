import { createRequire } from 'node:module';

/** RGBA pixels, 4 bytes per pixel, of the primary image after `irot` and `imir` are applied. */
export interface HeicPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

type HeicDecode = (input: { readonly buffer: Uint8Array }) => Promise<HeicPixels>;

// heic-decode 2 is CommonJS without type declarations, so it is loaded through require and typed here.
const decodeHeicWithLibheif = createRequire(import.meta.url)('heic-decode') as HeicDecode;

/**
 * Decodes the primary image of a HEIC file with libheif compiled to WebAssembly, because the
 * prebuilt libvips in sharp 0.35 has no HEVC decoder. The decode is synchronous CPU work,
 * 0.5 to 2 s for 12 megapixels on a busy 2-core machine (image.bench.ts), so a server should
 * call it from a worker thread.
 */
export function decodeHeic(bytes: Uint8Array): Promise<HeicPixels> {
  return decodeHeicWithLibheif({ buffer: bytes });
}
