import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

import { decodeImage } from './image.decoder.ts';
import type { DecodedImage, RawImage } from './image.decoder.ts';
import { detectImageFormat } from './image.format.ts';
import { assessQuality, judgeQuality, QUALITY_THRESHOLDS } from './image.quality.ts';
import { listPhotos, PHOTOS, readPhoto, TEST_LIMITS } from './image.test-support.ts';
import type { ImageQuality } from './image.types.ts';

/** Sigma of the blur, in pixels of the copy that assessQuality measures (longest side 1024). */
const BLUR_SIGMA_AT_MEASURED_SIZE = 2;

const decoded = new Map<string, DecodedImage>();

function decodedOf(name: string): DecodedImage {
  const image = decoded.get(name);
  if (image === undefined) {
    throw new Error(`${name} was not decoded in beforeAll`);
  }
  return image;
}

async function toRaw(pipeline: Sharp, channels: 3 | 4): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

function open(image: RawImage): Sharp {
  const { width, height, channels } = image;
  return sharp(image.data, { raw: { width, height, channels } });
}

/** Scales and offsets the colour channels, leaving any alpha channel as it is. */
function adjustLevels(image: RawImage, multiplier: number, offset: number): Promise<RawImage> {
  const alpha = image.channels === 4 ? [1] : [];
  const multipliers = [multiplier, multiplier, multiplier, ...alpha];
  const offsets = [offset, offset, offset, ...alpha.map(() => 0)];
  return toRaw(open(image).linear(multipliers, offsets), image.channels);
}

/**
 * Blurs the colour channels only, after flattening them onto grey. Blurring alpha, or the
 * arbitrary colours under transparent pixels, would add edges to the subject rather than
 * remove them.
 */
async function blurColours(image: RawImage): Promise<RawImage> {
  const scale = Math.max(image.width, image.height) / 1024;
  const sigma = BLUR_SIGMA_AT_MEASURED_SIZE * Math.max(scale, 1);
  if (image.channels === 3) {
    return toRaw(open(image).blur(sigma), 3);
  }

  const alpha = await open(image).extractChannel(3).raw().toBuffer();
  const { width, height } = image;
  const colours = await toRaw(open(image).flatten({ background: '#808080' }).blur(sigma), 3);
  const joined = open(colours).joinChannel(alpha, { raw: { width, height, channels: 1 } });
  return toRaw(joined, 4);
}

const COPIES = {
  original: (image: RawImage) => Promise.resolve(image),
  blurred: (image: RawImage) => blurColours(image),
  darkened: (image: RawImage) => adjustLevels(image, 0.3, 0),
  brightened: (image: RawImage) => adjustLevels(image, 1.8, 60),
} as const;

async function qualityOf(name: string, copy: keyof typeof COPIES): Promise<ImageQuality> {
  const image = decodedOf(name);
  const pixels = await COPIES[copy](image.pixels);
  return assessQuality(pixels, Math.min(image.width, image.height), TEST_LIMITS.minShortSide);
}

beforeAll(async () => {
  for (const name of listPhotos()) {
    const bytes = readPhoto(name);
    const format = detectImageFormat(bytes) ?? 'jpeg';
    decoded.set(name, await decodeImage(bytes, format, TEST_LIMITS.maxPixels));
  }
});

describe('assessQuality', () => {
  it.each(listPhotos())('finds the original %s sharp', async (name) => {
    expect((await qualityOf(name, 'original')).blurry).toBe(false);
  });

  it.each(listPhotos())('finds a blurred copy of %s blurry', async (name) => {
    expect((await qualityOf(name, 'blurred')).blurry).toBe(true);
  });

  it.each(listPhotos())('finds the original %s well exposed', async (name) => {
    const quality = await qualityOf(name, 'original');
    expect(quality.underExposed).toBe(false);
    expect(quality.overExposed).toBe(false);
  });

  it.each(listPhotos())('finds a darkened copy of %s under-exposed', async (name) => {
    expect((await qualityOf(name, 'darkened')).underExposed).toBe(true);
  });

  // The product label is a dark photo (mean luma 62), so the brightened copy lands at a
  // normal mean of 143 with 22% of its pixels white, below both over-exposure thresholds.
  const brightenedCases = listPhotos().filter((name) => name !== PHOTOS.productLabel);

  it.each(brightenedCases)('finds a brightened copy of %s over-exposed', async (name) => {
    expect((await qualityOf(name, 'brightened')).overExposed).toBe(true);
  });

  it('measures sharpness alike at two resolutions', async () => {
    const full = await qualityOf(PHOTOS.kodakWall, 'original');
    const kodak = decodedOf(PHOTOS.kodakWall).pixels;
    const halfSize = await toRaw(open(kodak).resize(1100), kodak.channels);
    const half = await assessQuality(halfSize, 825, TEST_LIMITS.minShortSide);
    expect(half.sharpness / full.sharpness).toBeGreaterThan(0.5);
    expect(half.sharpness / full.sharpness).toBeLessThan(2);
  });

  it('flags the 59x100 photo as too small', async () => {
    expect((await qualityOf(PHOTOS.tiny, 'original')).tooSmall).toBe(true);
  });

  it('accepts the size of the Kodak photo', async () => {
    expect((await qualityOf(PHOTOS.kodakWall, 'original')).tooSmall).toBe(false);
  });

  it('writes no notes for a good photo', async () => {
    expect((await qualityOf(PHOTOS.kodakWall, 'original')).notes).toEqual([]);
  });
});

describe('judgeQuality', () => {
  const good = { sharpness: 400, meanLuminance: 120, blackShare: 0.01, whiteShare: 0.01 };

  it.each([
    [{ ...good, sharpness: 12.34 }, 'Photo is blurry (sharpness 12.3, below 50).'],
    [
      { ...good, meanLuminance: 31.04, blackShare: 0.2 },
      'Photo is too dark (mean brightness 31 of 255, 20% of pixels black).',
    ],
    [
      { ...good, blackShare: 0.4 },
      'Photo is too dark (mean brightness 120 of 255, 40% of pixels black).',
    ],
    [
      { ...good, meanLuminance: 230, whiteShare: 0.5 },
      'Photo is too bright (mean brightness 230 of 255, 50% of pixels white).',
    ],
    [
      { ...good, whiteShare: 0.31 },
      'Photo is too bright (mean brightness 120 of 255, 31% of pixels white).',
    ],
  ])('writes a note for %j', (measures, note) => {
    expect(judgeQuality(measures, 3000, 480).notes).toEqual([note]);
  });

  it('writes a note for a short side below the minimum', () => {
    expect(judgeQuality(good, 59, 480).notes).toEqual([
      'Photo is too small (short side 59 px, below 480 px).',
    ]);
  });

  it('keeps the thresholds the cases rely on', () => {
    expect(QUALITY_THRESHOLDS.minSharpness).toBe(50);
    expect(QUALITY_THRESHOLDS.maxWhiteShare).toBeLessThan(0.31);
  });
});
