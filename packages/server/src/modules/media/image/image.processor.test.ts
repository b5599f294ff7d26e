import { deflateSync, crc32 } from 'node:zlib';

import { isBlurhashValid } from 'blurhash';
import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

import { decodeImage } from './image.decoder.ts';
import { ImageRejectedError } from './image.errors.ts';
import { readImageHeader } from './image.header.ts';
import { computePerceptualHash, hammingDistance } from './image.phash.ts';
import { processImage } from './image.processor.ts';
import { listPhotos, PHOTOS, readPhoto, TEST_LIMITS } from './image.test-support.ts';
import type { DerivativeTier, ImageDerivative, ProcessedImage } from './image.types.ts';

const results = new Map<string, ProcessedImage>();

function resultOf(name: string): ProcessedImage {
  const result = results.get(name);
  if (result === undefined) {
    throw new Error(`${name} was not processed in beforeAll`);
  }
  return result;
}

function tierOf(name: string, tier: DerivativeTier): ImageDerivative {
  const derivative = resultOf(name).derivatives.find((candidate) => candidate.tier === tier);
  if (derivative === undefined) {
    throw new Error(`${name} has no ${tier} derivative`);
  }
  return derivative;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ImageRejectedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImageRejectedError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an ImageRejectedError, but the promise resolved');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Builds a well-formed PNG whose header declares width x height 8-bit greyscale pixels. */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  for (const name of listPhotos()) {
    results.set(name, await processImage(readPhoto(name), TEST_LIMITS));
  }
});

describe('processImage', () => {
  it.each(listPhotos())('produces every tier for %s', (name) => {
    const tiers = resultOf(name).derivatives.map((derivative) => derivative.tier);
    expect(tiers).toEqual(['w2048', 'w1024', 'thumb320', 'report']);
  });

  it.each([
    [PHOTOS.kodakWall, 'jpeg'],
    [PHOTOS.brickCrack, 'png'],
    [PHOTOS.streetSigns, 'webp'],
    [PHOTOS.officeHeic, 'heic'],
  ] as const)('reports the format of %s as %s', (name, format) => {
    expect(resultOf(name).metadata.format).toBe(format);
  });

  it.each([
    [PHOTOS.pixel3Panel, 4032, 3024, 3024, 4032],
    [PHOTOS.streetSigns, 3648, 2736, 2736, 3648],
    [PHOTOS.kitchenHeic, 4032, 3024, 3024, 4032],
    [PHOTOS.officeHeic, 4032, 3024, 4032, 3024],
    [PHOTOS.alarmPanel, 2322, 4128, 2322, 4128],
    [PHOTOS.sidewaysPlaque, 4064, 2704, 4064, 2704],
  ])('turns %s from %ix%i to %ix%i', (name, storedWidth, storedHeight, width, height) => {
    const { metadata } = resultOf(name);
    expect([metadata.storedWidth, metadata.storedHeight]).toEqual([storedWidth, storedHeight]);
    expect([metadata.width, metadata.height]).toEqual([width, height]);
  });

  it.each([
    [PHOTOS.pixel3Panel, 1536, 2048],
    [PHOTOS.streetSigns, 1536, 2048],
    [PHOTOS.kitchenHeic, 1536, 2048],
    [PHOTOS.alarmPanel, 1152, 2048],
    [PHOTOS.officeHeic, 2048, 1536],
    [PHOTOS.sidewaysPlaque, 2048, 1363],
  ])('writes the w2048 tier of %s as %ix%i', (name, width, height) => {
    const derivative = tierOf(name, 'w2048');
    expect([derivative.width, derivative.height]).toEqual([width, height]);
  });

  it.each([
    [PHOTOS.pixel3Panel, 6],
    [PHOTOS.streetSigns, 6],
    [PHOTOS.kitchenHeic, 6],
    [PHOTOS.sidewaysPlaque, 1],
    [PHOTOS.brickCrack, null],
  ])('reports the EXIF orientation of %s as %s', (name, orientation) => {
    expect(resultOf(name).metadata.orientation).toBe(orientation);
  });

  it('rotates orientation 6 clockwise, not anticlockwise', async () => {
    const stored = readPhoto(PHOTOS.pixel3Panel);
    const openUpright = (angle: number) =>
      sharp(stored).rotate(angle).resize(512, 512, { fit: 'inside' }).raw().toBuffer({
        resolveWithObject: true,
      });
    const hashOf = async (angle: number) => {
      const { data, info } = await openUpright(angle);
      return computePerceptualHash({ data, width: info.width, height: info.height, channels: 3 });
    };
    const [clockwise, anticlockwise] = await Promise.all([hashOf(90), hashOf(270)]);
    const output = resultOf(PHOTOS.pixel3Panel).perceptualHash;
    expect(hammingDistance(output, clockwise)).toBeLessThanOrEqual(4);
    expect(hammingDistance(output, anticlockwise)).toBeGreaterThan(20);
  });

  it.each([
    [PHOTOS.kodakWall, 'w2048', 2048, 1536],
    [PHOTOS.kodakWall, 'w1024', 1024, 768],
    [PHOTOS.kodakWall, 'thumb320', 320, 240],
    [PHOTOS.kodakWall, 'report', 1600, 1200],
    [PHOTOS.productLabel, 'w2048', 1280, 960],
    [PHOTOS.productLabel, 'report', 1280, 960],
    [PHOTOS.tiny, 'w2048', 59, 100],
    [PHOTOS.tiny, 'thumb320', 59, 100],
  ] as const)('sizes %s tier %s to %ix%i', (name, tier, width, height) => {
    const derivative = tierOf(name, tier);
    expect([derivative.width, derivative.height]).toEqual([width, height]);
  });

  it.each([
    ['w2048', 'webp'],
    ['w1024', 'webp'],
    ['thumb320', 'webp'],
    ['report', 'jpeg'],
  ] as const)('encodes the %s tier as %s', async (tier, format) => {
    const derivative = tierOf(PHOTOS.kodakWall, tier);
    const metadata = await sharp(derivative.bytes).metadata();
    expect(metadata.format).toBe(format);
    expect(derivative.contentType).toBe(`image/${format}`);
    expect([metadata.width, metadata.height]).toEqual([derivative.width, derivative.height]);
  });

  it('writes a report tier of quality about 80', async () => {
    const bytes = tierOf(PHOTOS.kodakWall, 'report').bytes;
    const reencoded = await sharp(bytes).jpeg({ quality: 80 }).toBuffer();
    expect(bytes.length / reencoded.length).toBeGreaterThan(0.8);
    expect(bytes.length / reencoded.length).toBeLessThan(1.25);
  });
});

describe('processImage metadata', () => {
  it.each([
    [PHOTOS.pixel3Panel, 37.594561, -122.480503, 145.5],
    [PHOTOS.officeHeic, 23.177917, 113.394317, 42.81],
  ])('keeps the GPS position of %s', (name, latitude, longitude, altitude) => {
    const gps = resultOf(name).metadata.gps;
    expect(gps?.latitude).toBeCloseTo(latitude, 5);
    expect(gps?.longitude).toBeCloseTo(longitude, 5);
    expect(gps?.altitude).toBeCloseTo(altitude, 2);
  });

  it.each([PHOTOS.kodakWall, PHOTOS.kitchenHeic, PHOTOS.streetSigns])(
    'reports no GPS for %s',
    (name) => {
      expect(resultOf(name).metadata.gps).toBeNull();
    },
  );

  it.each([
    [PHOTOS.pixel3Panel, '2019-04-28T17:09:03.938881', 'Google', 'Pixel 3'],
    [PHOTOS.kitchenHeic, '2022-02-16T12:55:41.762+01:00', 'Apple', 'iPhone 13 Pro Max'],
    [PHOTOS.officeHeic, '2018-02-05T15:11:44.277', 'Apple', 'iPhone 8'],
    [PHOTOS.streetSigns, '2010-10-21T11:22:48', 'NIKON', 'COOLPIX P7000'],
    [PHOTOS.tiny, '2006-08-17T09:24:48', 'FUJIFILM', 'FinePix E500'],
  ])('reads capture time and camera of %s', (name, capturedAt, make, model) => {
    const { metadata } = resultOf(name);
    expect(metadata.capturedAt).toBe(capturedAt);
    expect(metadata.camera).toEqual({ make, model });
  });

  it('reports no capture time or camera without EXIF', () => {
    const { metadata } = resultOf(PHOTOS.churchCrack);
    expect(metadata.capturedAt).toBeNull();
    expect(metadata.camera).toBeNull();
  });
});

describe('processImage derivatives', () => {
  const tiers: readonly DerivativeTier[] = ['w2048', 'w1024', 'thumb320', 'report'];
  const carriers = [PHOTOS.pixel3Panel, PHOTOS.officeHeic, PHOTOS.streetSigns, PHOTOS.tiny];
  const cases = carriers.flatMap((name) => tiers.map((tier) => [name, tier] as const));

  it.each(cases)('strips EXIF, XMP and ICC from %s tier %s', async (name, tier) => {
    const metadata = await sharp(tierOf(name, tier).bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
  });

  it.each(carriers)('leaves no GPS in the report tier of %s', async (name) => {
    expect(await exifr.gps(tierOf(name, 'report').bytes)).toBeUndefined();
  });

  it.each(carriers)('leaves no EXIF chunk in the w2048 WebP of %s', (name) => {
    expect(readImageHeader(tierOf(name, 'w2048').bytes, 'webp')?.webpExif).toBeNull();
  });

  it('keeps transparency in the WebP tiers', async () => {
    const metadata = await sharp(tierOf(PHOTOS.alphaFlower, 'w2048').bytes).metadata();
    expect(metadata.hasAlpha).toBe(true);
  });

  it('flattens transparency onto white in the report tier', async () => {
    const report = tierOf(PHOTOS.alphaFlower, 'report').bytes;
    const { data, info } = await sharp(report).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect(Math.min(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0)).toBeGreaterThan(245);
  });

  it('starts from a transparent corner in the original', async () => {
    const original = readPhoto(PHOTOS.alphaFlower);
    const { data } = await sharp(original)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
  });

  it.each(listPhotos())('computes a 4x3 blurhash for %s', (name) => {
    const { blurhash } = resultOf(name);
    expect(isBlurhashValid(blurhash).result).toBe(true);
    expect(blurhash).toHaveLength(28);
  });

  it.each(listPhotos())('computes a 16-digit perceptual hash for %s', (name) => {
    expect(resultOf(name).perceptualHash).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('processImage rejections', () => {
  it('rejects an empty buffer as empty', async () => {
    const error = await rejectionOf(processImage(Buffer.alloc(0), TEST_LIMITS));
    expect(error.code).toBe('empty');
  });

  it('rejects bytes over maxBytes as too_large', async () => {
    const photo = readPhoto(PHOTOS.kodakWall);
    const limits = { ...TEST_LIMITS, maxBytes: 2_000_000 };
    const error = await rejectionOf(processImage(photo, limits));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('The file is 2.8 MB, more than the maximum of 2.0 MB');
  });

  it('rejects text named .jpg as unsupported_type', async () => {
    const text = Buffer.from('Boiler room checked on Monday, no leaks found.\n');
    const error = await rejectionOf(processImage(text, TEST_LIMITS));
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toContain('its bytes start like plain text');
  });

  it('rejects a PDF as unsupported_type', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
    const error = await rejectionOf(processImage(pdf, TEST_LIMITS));
    expect(error.message).toContain('its bytes start like a PDF document');
  });

  it('rejects a PNG declaring 100000x100000 from its header', async () => {
    const bomb = pngDeclaring(100_000, 100_000);
    const error = await rejectionOf(processImage(bomb, TEST_LIMITS));
    expect(bomb.length).toBeLessThan(200);
    expect(error.code).toBe('too_many_pixels');
    expect(error.message).toContain('100000 x 100000 pixels');
  });

  it('rejects a real photo over maxPixels', async () => {
    const limits = { ...TEST_LIMITS, maxPixels: 15_000_000 };
    const error = await rejectionOf(processImage(readPhoto(PHOTOS.kodakWall), limits));
    expect(error.code).toBe('too_many_pixels');
  });

  it('sets sharp limitInputPixels as a second guard', async () => {
    const error = await rejectionOf(decodeImage(readPhoto(PHOTOS.tiny), 'jpeg', 1000));
    expect(error.code).toBe('too_many_pixels');
  });

  it.each([PHOTOS.kodakWall, PHOTOS.kitchenHeic, PHOTOS.brickCrack, PHOTOS.streetSigns])(
    'rejects %s cut in half as corrupt',
    async (name) => {
      const photo = readPhoto(name);
      const half = photo.subarray(0, Math.floor(photo.length / 2));
      const error = await rejectionOf(processImage(half, TEST_LIMITS));
      expect(error.code).toBe('corrupt');
    },
  );

  it.each([PHOTOS.pixel3Panel, PHOTOS.officeHeic])(
    'rejects %s missing its last 1000 bytes as corrupt',
    async (name) => {
      const photo = readPhoto(name);
      const error = await rejectionOf(processImage(photo.subarray(0, -1000), TEST_LIMITS));
      expect(error.code).toBe('corrupt');
    },
  );

  it('rejects a JPEG with no frame header as corrupt', async () => {
    const error = await rejectionOf(
      processImage(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), TEST_LIMITS),
    );
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('JPEG header is damaged or incomplete');
  });
});
