import { renderGrey } from './image.pixels.ts';
import type { RawImage } from './image.decoder.ts';

/** Side of the greyscale square that the DCT reads. */
const SAMPLE_SIZE = 32;
/** Side of the block of lowest frequencies kept, giving 8 x 8 = 64 bits. */
const HASH_SIZE = 8;
const HASH_HEX_LENGTH = 16;
const HASH_PATTERN = /^[0-9a-f]{16}$/;
/**
 * Margin above the median that sets a bit. A flat image has AC coefficients of about 1e-13
 * from rounding, which would otherwise turn into random bits.
 */
const ROUNDING_TOLERANCE = 1e-6;

/**
 * Maximum Hamming distance between two hashes of the same scene. On the 16 fixture photos,
 * copies resized to 640 px JPEG (quality 60), to 320 px WebP (quality 50), saved as PNG or
 * brightened by 20% were 0 to 4 bits from their originals. The 120 pairs of different photos
 * were 20 to 40 bits apart (median 30). A 5% crop on every side gave 6 to 20 bits, so it is
 * matched only sometimes.
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 10;

/** cos((2x + 1) u π / 2N) for N = 32, x in 0..31 and u in 0..7, as rows of u. */
const COSINES: readonly Float64Array[] = Array.from({ length: HASH_SIZE }, (_, u) =>
  Float64Array.from({ length: SAMPLE_SIZE }, (_, x) =>
    Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SAMPLE_SIZE)),
  ),
);

function cosine(frequency: number, position: number): number {
  return COSINES[frequency]?.[position] ?? 0;
}

/**
 * Computes the 8 x 8 lowest-frequency coefficients of the 2-D DCT-II of a 32 x 32 greyscale
 * square, unnormalised because only their order matters. The transform is separable: rows
 * first, then columns.
 */
function lowFrequencyDct(grey: Uint8Array): Float64Array {
  const rows = new Float64Array(SAMPLE_SIZE * HASH_SIZE);
  for (let y = 0; y < SAMPLE_SIZE; y += 1) {
    for (let u = 0; u < HASH_SIZE; u += 1) {
      let sum = 0;
      for (let x = 0; x < SAMPLE_SIZE; x += 1) {
        sum += (grey[y * SAMPLE_SIZE + x] ?? 0) * cosine(u, x);
      }
      rows[y * HASH_SIZE + u] = sum;
    }
  }

  const coefficients = new Float64Array(HASH_SIZE * HASH_SIZE);
  for (let v = 0; v < HASH_SIZE; v += 1) {
    for (let u = 0; u < HASH_SIZE; u += 1) {
      let sum = 0;
      for (let y = 0; y < SAMPLE_SIZE; y += 1) {
        sum += (rows[y * HASH_SIZE + u] ?? 0) * cosine(v, y);
      }
      coefficients[v * HASH_SIZE + u] = sum;
    }
  }
  return coefficients;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length / 2;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Computes the pHash of a 32 x 32 greyscale square. Each coefficient of the top-left 8 x 8
 * DCT block gives one bit, set when the coefficient is above the block's median. Bits run in
 * row order with the DC term as the most significant bit. With distinct coefficients exactly
 * 32 bits are set, so distances between hashes are even.
 */
export function hashGreySquare(grey: Uint8Array): string {
  if (grey.length !== SAMPLE_SIZE * SAMPLE_SIZE) {
    throw new RangeError(
      `pHash expects ${SAMPLE_SIZE * SAMPLE_SIZE} grey pixels, got ${grey.length}`,
    );
  }

  const coefficients = lowFrequencyDct(grey);
  const threshold = median(coefficients);
  let hash = 0n;
  for (const coefficient of coefficients) {
    hash = (hash << 1n) | (coefficient - threshold > ROUNDING_TOLERANCE ? 1n : 0n);
  }
  return hash.toString(16).padStart(HASH_HEX_LENGTH, '0');
}

/** Computes the perceptual hash of an upright working copy, transparency on white. */
export async function computePerceptualHash(image: RawImage): Promise<string> {
  const square = { width: SAMPLE_SIZE, height: SAMPLE_SIZE, fit: 'fill' as const };
  const grey = await renderGrey(image, (pipeline) => pipeline.resize(square));
  return hashGreySquare(grey.data);
}

function parseHash(hash: string): bigint {
  if (!HASH_PATTERN.test(hash)) {
    throw new RangeError(`Invalid perceptual hash "${hash}": expected 16 lowercase hex digits`);
  }
  return BigInt(`0x${hash}`);
}

/**
 * Counts the bits that differ between two perceptual hashes.
 *
 * @example
 * hammingDistance('ffffffffffffffff', 'fffffffffffffffe'); // 1
 */
export function hammingDistance(a: string, b: string): number {
  let difference = parseHash(a) ^ parseHash(b);
  let count = 0;
  while (difference !== 0n) {
    count += Number(difference & 1n);
    difference >>= 1n;
  }
  return count;
}

/** Returns whether two perceptual hashes are within NEAR_DUPLICATE_MAX_DISTANCE bits. */
export function isNearDuplicate(a: string, b: string): boolean {
  return hammingDistance(a, b) <= NEAR_DUPLICATE_MAX_DISTANCE;
}
