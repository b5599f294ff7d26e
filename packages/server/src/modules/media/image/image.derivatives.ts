import { openFlattened, openRaw } from './image.pixels.ts';
import type { RawImage } from './image.decoder.ts';
import type { DerivativeTier, ImageDerivative } from './image.types.ts';

interface TierSpec {
  readonly tier: DerivativeTier;
  readonly format: 'webp' | 'jpeg';
  /** Maximum width and height in pixels. Smaller photos are not enlarged. */
  readonly maxSide: number;
}

/** Resize tiers. The report tier is JPEG because PDF embeds JPEG as is (DCTDecode) but not WebP. */
export const DERIVATIVE_TIERS: readonly TierSpec[] = [
  { tier: 'w2048', format: 'webp', maxSide: 2048 },
  { tier: 'w1024', format: 'webp', maxSide: 1024 },
  { tier: 'thumb320', format: 'webp', maxSide: 320 },
  { tier: 'report', format: 'jpeg', maxSide: 1600 },
];

const WEBP_QUALITY = 80;
const JPEG_QUALITY = 80;

/**
 * Encodes one tier. sharp writes no EXIF, XMP or ICC unless asked (withMetadata, keepExif),
 * and the raw working copy carries none, so no derivative can leak GPS or camera data.
 */
async function renderTier(image: RawImage, spec: TierSpec): Promise<ImageDerivative> {
  const resize = { width: spec.maxSide, height: spec.maxSide, fit: 'inside' as const };
  const options = { ...resize, withoutEnlargement: true };
  const pipeline =
    spec.format === 'webp'
      ? openRaw(image).resize(options).webp({ quality: WEBP_QUALITY })
      : openFlattened(image).resize(options).jpeg({ quality: JPEG_QUALITY });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return {
    tier: spec.tier,
    format: spec.format,
    contentType: `image/${spec.format}`,
    width: info.width,
    height: info.height,
    bytes: data,
  };
}

/** Encodes every tier of DERIVATIVE_TIERS from the upright working copy. */
export function renderDerivatives(image: RawImage): Promise<readonly ImageDerivative[]> {
  return Promise.all(DERIVATIVE_TIERS.map((spec) => renderTier(image, spec)));
}
