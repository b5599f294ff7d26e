import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  hammingDistance,
  hashGreySquare,
  isNearDuplicate,
  NEAR_DUPLICATE_MAX_DISTANCE,
} from './image.phash.ts';
import { processImage } from './image.processor.ts';
import { listPhotos, readPhoto, TEST_LIMITS } from './image.test-support.ts';

const hashes = new Map<string, string>();
const w2048Copies = new Map<string, Buffer>();

function hashOf(name: string): string {
  const hash = hashes.get(name);
  if (hash === undefined) {
    throw new Error(`${name} was not hashed in beforeAll`);
  }
  return hash;
}

/** sharp cannot decode HEIC, so HEIC copies start from the upright w2048 derivative. */
function copySource(name: string): Buffer {
  return w2048Copies.get(name) ?? readPhoto(name);
}

const COPIES = {
  'resized to 640 px as JPEG quality 60': (source: Buffer) =>
    sharp(source)
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize(640, 640, { fit: 'inside' })
      .jpeg({ quality: 60 }),
  'resized to 320 px as WebP quality 50': (source: Buffer) =>
    sharp(source).rotate().resize(320, 320, { fit: 'inside' }).webp({ quality: 50 }),
  'brightened by 20% as JPEG': (source: Buffer) =>
    sharp(source).rotate().flatten({ background: '#ffffff' }).modulate({ brightness: 1.2 }).jpeg(),
} as const;

const pairs = listPhotos().flatMap((first, index) =>
  listPhotos()
    .slice(index + 1)
    .map((second) => [first, second] as const),
);

beforeAll(async () => {
  for (const name of listPhotos()) {
    const result = await processImage(readPhoto(name), TEST_LIMITS);
    hashes.set(name, result.perceptualHash);
    if (result.metadata.format === 'heic') {
      w2048Copies.set(name, result.derivatives[0]?.bytes ?? Buffer.alloc(0));
    }
  }
});

describe('hashGreySquare', () => {
  it('sets only the DC bit for a flat square', () => {
    expect(hashGreySquare(new Uint8Array(1024).fill(90))).toBe('8000000000000000');
  });

  it('sets 32 of 64 bits for a photo-like square', () => {
    const square = Uint8Array.from({ length: 1024 }, (_, index) => (index * 37) % 251);
    const ones = [...BigInt(`0x${hashGreySquare(square)}`).toString(2)].filter(
      (bit) => bit === '1',
    );
    expect(ones).toHaveLength(32);
  });

  it('rejects a square of the wrong size', () => {
    expect(() => hashGreySquare(new Uint8Array(64))).toThrow(RangeError);
  });
});

describe('hammingDistance', () => {
  it.each([
    ['0000000000000000', '0000000000000000', 0],
    ['0000000000000000', '0000000000000001', 1],
    ['8000000000000000', '0000000000000001', 2],
    ['0f0f0f0f0f0f0f0f', 'f0f0f0f0f0f0f0f0', 64],
  ])('counts the bits between %s and %s as %i', (a, b, distance) => {
    expect(hammingDistance(a, b)).toBe(distance);
  });

  it.each(['', 'abc', '0123456789ABCDEF', '0123456789abcdefg'])('rejects the hash %j', (hash) => {
    expect(() => hammingDistance(hash, '0000000000000000')).toThrow(RangeError);
  });
});

describe('isNearDuplicate', () => {
  it('uses a threshold of 10 bits', () => {
    expect(NEAR_DUPLICATE_MAX_DISTANCE).toBe(10);
  });

  const copyCases = listPhotos().flatMap((name) =>
    Object.keys(COPIES).map((copy) => [name, copy as keyof typeof COPIES] as const),
  );

  it.each(copyCases)('matches %s with its copy %s', async (name, copy) => {
    const bytes = await COPIES[copy](copySource(name)).toBuffer();
    const limits = { ...TEST_LIMITS, minShortSide: 1 };
    const { perceptualHash } = await processImage(bytes, limits);
    expect(isNearDuplicate(hashOf(name), perceptualHash)).toBe(true);
  });

  it.each(pairs)('tells %s from %s', (first, second) => {
    expect(isNearDuplicate(hashOf(first), hashOf(second))).toBe(false);
  });
});
