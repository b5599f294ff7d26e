import { describe, expect, it } from 'vitest';

import { describeUnsupportedFile } from './image.file-type.ts';
import { detectImageFormat } from './image.format.ts';
import { PHOTOS, readPhoto } from './image.test-support.ts';

/** Builds the start of an ISO BMFF file: an `ftyp` box with a major and compatible brands. */
function ftyp(major: string, compatible: readonly string[]): Uint8Array {
  const brands = [major, '\0\0\0\0', ...compatible].join('');
  const size = 8 + brands.length;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write(`ftyp${brands}`, 4, 'latin1');
  return box;
}

describe('detectImageFormat', () => {
  it.each([
    [PHOTOS.kodakWall, 'jpeg'],
    [PHOTOS.brickCrack, 'png'],
    [PHOTOS.streetSigns, 'webp'],
    [PHOTOS.alphaFlower, 'webp'],
    [PHOTOS.kitchenHeic, 'heic'],
    [PHOTOS.officeHeic, 'heic'],
  ] as const)('detects %s as %s', (name, format) => {
    expect(detectImageFormat(readPhoto(name).subarray(0, 64))).toBe(format);
  });

  it.each([
    ['heic', ['mif1', 'heic']],
    ['heix', ['mif1', 'heix']],
    ['mif1', ['heic', 'miaf']],
    ['msf1', ['hevc']],
    ['hevc', ['msf1']],
  ])('accepts the HEIF brand %s', (major, compatible) => {
    expect(detectImageFormat(ftyp(major, compatible))).toBe('heic');
  });

  it.each([
    ['avif', ['mif1', 'miaf']],
    ['mif1', ['avif', 'miaf']],
    ['isom', ['mp41']],
    ['qt  ', []],
  ])('rejects the ISO media brand %s', (major, compatible) => {
    expect(detectImageFormat(ftyp(major, compatible))).toBeNull();
  });

  it('ignores a JPEG file name on text bytes', () => {
    expect(detectImageFormat(Buffer.from('this is not a photo.jpg'))).toBeNull();
  });

  it('returns null for too few bytes', () => {
    expect(detectImageFormat(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });
});

describe('describeUnsupportedFile', () => {
  it.each([
    ['%PDF-1.7\n%âãÏÓ', 'not an image because its bytes start like a PDF document'],
    ['PK\u0003\u0004\u0014\u0000', 'start like a ZIP archive or an Office document'],
    ['GIF89a\u0001\u0000', 'The file is a GIF image, which is not supported'],
    ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'The file is an SVG drawing'],
    ['<!DOCTYPE html><html></html>', 'start like an HTML page'],
    ['{"photo": true}', 'start like JSON text'],
    ['Inspection notes: the boiler leaks.', 'start like plain text'],
    ['II*\u0000\u0008\u0000', 'The file is a TIFF image or a camera raw file'],
  ])('names the type of %j', (text, expected) => {
    expect(describeUnsupportedFile(Buffer.from(text, 'latin1'))).toContain(expected);
  });

  it('names an AVIF image', () => {
    expect(describeUnsupportedFile(ftyp('avif', ['mif1']))).toContain('an AVIF image');
  });

  it('names a video', () => {
    expect(describeUnsupportedFile(ftyp('isom', ['mp41']))).toContain('a video');
  });

  it('says when the type is unknown', () => {
    const noise = Buffer.from([0x00, 0x13, 0x37, 0x00, 0x02, 0x9a, 0x10, 0x01]);
    expect(describeUnsupportedFile(noise)).toContain('match no known image format');
  });

  it('lists the accepted formats', () => {
    expect(describeUnsupportedFile(Buffer.from('%PDF-1.4'))).toContain(
      'Upload a JPEG, PNG, WebP or HEIC photo.',
    );
  });
});
