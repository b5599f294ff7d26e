import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { readImageHeader } from './image.header.ts';
import { PHOTOS, readPhoto } from './image.test-support.ts';

describe('readImageHeader', () => {
  it.each([
    [PHOTOS.kodakWall, 'jpeg', 4608, 3456],
    [PHOTOS.pixel3Panel, 'jpeg', 4032, 3024],
    [PHOTOS.tiny, 'jpeg', 59, 100],
    [PHOTOS.brickCrack, 'png', 392, 474],
    [PHOTOS.streetSigns, 'webp', 3648, 2736],
    [PHOTOS.alphaFlower, 'webp', 400, 301],
    [PHOTOS.kitchenHeic, 'heic', 4032, 3024],
    [PHOTOS.officeHeic, 'heic', 4032, 3024],
  ] as const)('reads the stored size of %s', (name, format, width, height) => {
    const header = readImageHeader(readPhoto(name), format);
    expect([header?.storedWidth, header?.storedHeight]).toEqual([width, height]);
  });

  it.each([
    [PHOTOS.kitchenHeic, 270],
    [PHOTOS.officeHeic, 0],
  ])('reads the irot rotation of %s', (name, rotation) => {
    expect(readImageHeader(readPhoto(name), 'heic')?.containerRotation).toBe(rotation);
  });

  it('finds the EXIF chunk of a WebP', () => {
    const header = readImageHeader(readPhoto(PHOTOS.streetSigns), 'webp');
    expect(header?.webpExif?.length).toBe(59_965);
  });

  it.each([
    ['lossy', { quality: 80 }, 'VP8 '],
    ['lossless', { lossless: true }, 'VP8L'],
  ] as const)('reads a simple %s WebP', async (_kind, options, fourCc) => {
    const bytes = await sharp({
      create: { width: 37, height: 23, channels: 3, background: '#777' },
    })
      .webp(options)
      .toBuffer();
    expect(bytes.toString('latin1', 12, 16)).toBe(fourCc);
    const header = readImageHeader(bytes, 'webp');
    expect([header?.storedWidth, header?.storedHeight]).toEqual([37, 23]);
  });

  it('flags a HEIC whose image data is cut off', () => {
    const photo = readPhoto(PHOTOS.kitchenHeic);
    const header = readImageHeader(photo.subarray(0, photo.length - 1), 'heic');
    expect(header?.isTruncated).toBe(true);
  });

  it('accepts a complete HEIC', () => {
    expect(readImageHeader(readPhoto(PHOTOS.officeHeic), 'heic')?.isTruncated).toBe(false);
  });

  it.each([
    ['jpeg', PHOTOS.kodakWall, 100],
    ['png', PHOTOS.brickCrack, 20],
    ['webp', PHOTOS.streetSigns, 20],
    ['heic', PHOTOS.kitchenHeic, 200],
  ] as const)('returns null for a %s cut inside its header', (format, name, length) => {
    expect(readImageHeader(readPhoto(name).subarray(0, length), format)).toBeNull();
  });

  it('returns null for a zero width', () => {
    const png = Buffer.from(readPhoto(PHOTOS.brickCrack));
    png.writeUInt32BE(0, 16);
    expect(readImageHeader(png, 'png')).toBeNull();
  });
});
