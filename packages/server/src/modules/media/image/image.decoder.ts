import sharp from 'sharp';
import type { Sharp, SharpOptions } from 'sharp';

import { decodeHeic } from './heic.decoder.ts';
import type { HeicPixels } from './heic.decoder.ts';
import { ImageRejectedError } from './image.errors.ts';
import type { ImageFormat } from './image.types.ts';

/** Maximum width and height of the working copy, the size of the largest derivative. */
export const WORKING_SIZE = 2048;

/** Upright 8-bit sRGB pixels, 3 or 4 channels, at most WORKING_SIZE on the longest side. */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** The working copy of a photo, with the upright size and orientation found while decoding. */
export interface DecodedImage {
  readonly pixels: RawImage;
  /** Upright size of the full-resolution image. */
  readonly width: number;
  readonly height: number;
  /** EXIF orientation that sharp applied, or null when it applied none (always null for HEIC). */
  readonly appliedOrientation: number | null;
}

const CORRUPT_MESSAGE =
  'The photo could not be read because the file is damaged or incomplete, for example an upload that was cut off. Upload the photo again.';

function toCorrupt(error: unknown): ImageRejectedError {
  return new ImageRejectedError('corrupt', CORRUPT_MESSAGE, { cause: error });
}

/** Resizes to the working size and converts to 8-bit sRGB, keeping an alpha channel if any. */
async function toWorkingCopy(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline
    .resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) {
    throw new Error(`sharp returned ${info.channels} channels for an sRGB image, expected 3 or 4`);
  }
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function inputOptions(maxPixels: number): SharpOptions {
  // 'error' rejects truncated and undecodable data (libvips would otherwise fill the missing
  // rows with grey) but tolerates libjpeg warnings such as extraneous bytes before a marker.
  return { failOn: 'error', limitInputPixels: maxPixels, sequentialRead: true };
}

async function decodeWithSharp(bytes: Buffer, maxPixels: number): Promise<DecodedImage> {
  const image = sharp(bytes, inputOptions(maxPixels));
  const metadata = await image.metadata();
  const pixels = await toWorkingCopy(image.rotate());
  const orientation = metadata.orientation ?? null;
  return {
    pixels,
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    appliedOrientation: orientation,
  };
}

function isOpaque(rgba: Uint8ClampedArray): boolean {
  for (let index = 3; index < rgba.length; index += 4) {
    if (rgba[index] !== 255) {
      return false;
    }
  }
  return true;
}

/**
 * libheif has already applied the `irot` and `imir` boxes, and an iPhone's EXIF Orientation
 * describes that same rotation, so sharp must not rotate again.
 */
async function decodeHeicImage(bytes: Buffer, maxPixels: number): Promise<DecodedImage> {
  const heic: HeicPixels = await decodeHeic(bytes);
  const data = Buffer.from(heic.data.buffer, heic.data.byteOffset, heic.data.byteLength);
  const raw = { width: heic.width, height: heic.height, channels: 4 as const };
  const image = sharp(data, { raw, limitInputPixels: maxPixels });
  const pipeline = isOpaque(heic.data) ? image.removeAlpha() : image;
  // NOTE: libheif-js returns the pixels without their colour profile, so an iPhone's
  // Display P3 colours are read as sRGB and come out slightly less saturated.
  const pixels = await toWorkingCopy(pipeline);
  return { pixels, width: heic.width, height: heic.height, appliedOrientation: null };
}

function isPixelLimitError(error: unknown): boolean {
  return error instanceof Error && error.message.includes('pixel limit');
}

/**
 * Decodes a photo into an upright working copy. Orientation is applied once, by sharp from
 * EXIF for JPEG, PNG and WebP, and by libheif from the container boxes for HEIC.
 * Raises ImageRejectedError `corrupt` for unreadable pixels and `too_many_pixels` when sharp's
 * own pixel limit trips.
 */
export async function decodeImage(
  bytes: Buffer,
  format: ImageFormat,
  maxPixels: number,
): Promise<DecodedImage> {
  try {
    return format === 'heic'
      ? await decodeHeicImage(bytes, maxPixels)
      : await decodeWithSharp(bytes, maxPixels);
  } catch (error) {
    if (isPixelLimitError(error)) {
      throw new ImageRejectedError(
        'too_many_pixels',
        `The photo has more than ${maxPixels} pixels, the maximum accepted. Upload a smaller photo.`,
        { cause: error },
      );
    }
    throw toCorrupt(error);
  }
}
