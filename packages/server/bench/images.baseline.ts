import sharp, { type Sharp } from 'sharp';
import { decodeHeic } from '../src/modules/media/image/heic.decoder.ts';
import { DERIVATIVE_TIERS } from '../src/modules/media/image/image.derivatives.ts';

/** The WebP and JPEG quality the media module encodes its derivatives with. */
const QUALITY = 80;

/** Maximum width and height of the upright copy that the tiers are made from. */
const WORKING_SIZE = 2048;

/*
 * What sharp alone does to produce the same files as processImage: the 2048, 1024 and 320 px
 * WebP tiers and the 1600 px report JPEG, upright and without metadata. Nothing else: no header
 * checks, EXIF facts, blurhash, perceptual hash or quality checks.
 */

/** Encodes every tier from `open`, in parallel as the media module does. */
function encodeTiers(open: () => Sharp): Promise<Buffer[]> {
  return Promise.all(
    DERIVATIVE_TIERS.map((spec) => {
      const resized = open().resize({
        width: spec.maxSide,
        height: spec.maxSide,
        fit: 'inside',
        withoutEnlargement: true,
      });
      const encoded =
        spec.format === 'webp'
          ? resized.webp({ quality: QUALITY })
          : resized.jpeg({ quality: QUALITY });
      return encoded.toBuffer();
    }),
  );
}

/** Decodes once into an upright raw copy within WORKING_SIZE, then encodes every tier from it. */
async function encodeFromWorkingCopy(pipeline: Sharp): Promise<Buffer[]> {
  const { data, info } = await pipeline
    .resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return encodeTiers(() => sharp(data, { raw }));
}

/** sharp on a JPEG, PNG or WebP: one decode, rotated by EXIF, then every tier. */
export function encodeOnceWithSharp(bytes: Buffer): Promise<Buffer[]> {
  return encodeFromWorkingCopy(sharp(bytes).rotate());
}

/** sharp on a JPEG, PNG or WebP, decoding the file again for each tier. */
export function encodeEachTierWithSharp(bytes: Buffer): Promise<Buffer[]> {
  return encodeTiers(() => sharp(bytes).rotate());
}

/**
 * heic-decode then sharp on a HEIC, because the libvips bundled with sharp cannot decode HEVC.
 * libheif has already applied the rotation, and iPhone photos are opaque, so the alpha channel
 * is dropped.
 */
export async function encodeHeicWithSharp(bytes: Buffer): Promise<Buffer[]> {
  const { width, height, data } = await decodeHeic(bytes);
  const pixels = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return encodeFromWorkingCopy(
    sharp(pixels, { raw: { width, height, channels: 4 } }).removeAlpha(),
  );
}

/** heic-decode alone, to show the decoder's share of both HEIC figures. */
export function decodeHeicOnly(bytes: Buffer): Promise<unknown> {
  return decodeHeic(bytes);
}
