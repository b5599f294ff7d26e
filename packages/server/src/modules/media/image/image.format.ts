import type { ImageFormat } from './image.types.ts';

/** ISO BMFF major brands of HEIF still images and sequences coded with HEVC (ISO/IEC 23008-12). */
const HEIF_BRANDS: ReadonlySet<string> = new Set(['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1']);

/** Brands that prove HEVC coding, as opposed to the generic mif1/msf1 that AVIF files use too. */
const HEVC_BRANDS: ReadonlySet<string> = new Set(['heic', 'heix', 'hevc', 'hevx']);

const AV1_BRANDS: ReadonlySet<string> = new Set(['avif', 'avis']);

/** Reads `length` bytes at `offset` as Latin-1, the encoding of four-character codes. */
export function readAscii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** Returns whether `bytes` starts with the given byte values. */
export function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((value, index) => bytes[offset + index] === value);
}

/**
 * Returns the brands of an ISO BMFF `ftyp` box at the start of `head`: the major brand first,
 * then the compatible brands that fit in `head`. Returns an empty list when there is no `ftyp`.
 */
export function readFtypBrands(head: Uint8Array): readonly string[] {
  if (head.length < 12 || readAscii(head, 4, 4) !== 'ftyp') {
    return [];
  }

  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  const end = Math.min(boxSize, head.length);
  const brands = [readAscii(head, 8, 4)];
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    brands.push(readAscii(head, offset, 4));
  }
  return brands;
}

function isHevcHeif(head: Uint8Array): boolean {
  const [major, ...compatible] = readFtypBrands(head);
  if (major === undefined || !HEIF_BRANDS.has(major)) {
    return false;
  }

  const isAv1Only =
    compatible.some((brand) => AV1_BRANDS.has(brand)) &&
    !compatible.some((brand) => HEVC_BRANDS.has(brand));
  return HEVC_BRANDS.has(major) || !isAv1Only;
}

/**
 * Detects the image format from the magic numbers at the start of a file, never from its
 * name. Pass at least the first 64 bytes so that the HEIF brand list can be read.
 *
 * @example
 * detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // 'jpeg'
 */
export function detectImageFormat(head: Uint8Array): ImageFormat | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) {
    return 'jpeg';
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return 'png';
  }
  if (readAscii(head, 0, 4) === 'RIFF' && readAscii(head, 8, 4) === 'WEBP') {
    return 'webp';
  }
  if (isHevcHeif(head)) {
    return 'heic';
  }
  return null;
}
