import { openRaw } from './image.pixels.ts';
import type { GreyImage } from './image.pixels.ts';
import type { RawImage } from './image.decoder.ts';
import type { ImageQuality } from './image.types.ts';

/**
 * Maximum width and height of the greyscale copy that is measured. A fixed size makes the Laplacian
 * variance comparable between a 12-megapixel photo and a 2-megapixel one. Smaller photos are
 * measured at their own size rather than enlarged, and are flagged as too small instead.
 */
const MEASURE_SIZE = 1024;

/**
 * Thresholds chosen on the 16 fixture photos and on copies that image.quality.test.ts makes
 * with sharp. Figures are measured on the greyscale copy at MEASURE_SIZE:
 * - Sharpness of the originals ranged from 88 (a close-up with a blurred background) to 2674.
 *   Copies blurred with a Gaussian of sigma 2 px at the measured size scored 3 to 21. The
 *   threshold of 50 leaves a factor of 1.8 below the softest original and 2.3 above the
 *   sharpest blurred copy.
 * - Mean luma of the originals ranged from 62 to 164. Copies darkened to 30% scored 18 to 48.
 *   Copies brightened (x 1.8 + 60) scored 143 to 254 with 22% to 99% of pixels white.
 * - Pixels clipped in the originals reached 10% black and 23% white. The white share catches
 *   brightened copies whose mean stays moderate (the sprinkler close-up: 151, 31% white). The
 *   brightened product label (143, 22% white) is not flagged, since it is as bright as a
 *   normal photo. No copy needed the black share: it guards against high-contrast night shots.
 */
export const QUALITY_THRESHOLDS = {
  minSharpness: 50,
  /** A mean luma below this is under-exposed. */
  darkMeanLuminance: 50,
  /** A mean luma above this is over-exposed. */
  brightMeanLuminance: 190,
  /** A pixel at or below this luma counts as clipped to black. */
  blackClip: 8,
  /** A pixel at or above this luma counts as clipped to white. */
  whiteClip: 247,
  /** Share of pixels clipped to black that makes a photo under-exposed whatever its mean. */
  maxBlackShare: 0.35,
  /** Share of pixels clipped to white that makes a photo over-exposed whatever its mean. */
  maxWhiteShare: 0.27,
} as const;

/** Grey that transparent areas are flattened onto before the Laplacian, so edges stay mild. */
const MID_GREY = 128;

/** Alpha at or above which a pixel counts towards the exposure figures. */
const MIN_OPAQUE_ALPHA = 128;

/** A greyscale copy with the pixels that count towards exposure. */
export interface MeasuredImage extends GreyImage {
  /** One byte per pixel, non-zero where the pixel is opaque enough; null when all are. */
  readonly opaque: Uint8Array | null;
}

/** Figures measured on the greyscale copy. */
export interface ExposureMeasures {
  readonly sharpness: number;
  readonly meanLuminance: number;
  /** Share of pixels at or below QUALITY_THRESHOLDS.blackClip, from 0 to 1. */
  readonly blackShare: number;
  /** Share of pixels at or above QUALITY_THRESHOLDS.whiteClip, from 0 to 1. */
  readonly whiteShare: number;
}

function isOpaqueAround(opaque: Uint8Array | null, index: number, width: number): boolean {
  if (opaque === null) {
    return true;
  }
  const around = [index, index - 1, index + 1, index - width, index + width];
  return around.every((position) => opaque[position] !== 0);
}

/**
 * Variance of the 4-neighbour Laplacian over the interior pixels whose neighbourhood is
 * opaque, so that the edge of a cut-out does not count as detail.
 */
function laplacianVariance({ data, width, height, opaque }: MeasuredImage): number {
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const index = y * width + x;
      if (!isOpaqueAround(opaque, index, width)) {
        continue;
      }

      const neighbours =
        (data[index - 1] ?? 0) +
        (data[index + 1] ?? 0) +
        (data[index - width] ?? 0) +
        (data[index + width] ?? 0);
      const response = neighbours - 4 * (data[index] ?? 0);
      sum += response;
      sumOfSquares += response * response;
      count += 1;
    }
  }
  if (count === 0) {
    return 0;
  }

  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}

/** Measures sharpness on every pixel and mean luma and clipped shares on the opaque ones. */
export function measureGrey(image: MeasuredImage): ExposureMeasures {
  let total = 0;
  let black = 0;
  let white = 0;
  let count = 0;
  image.data.forEach((value, index) => {
    if (image.opaque !== null && image.opaque[index] === 0) {
      return;
    }
    total += value;
    black += value <= QUALITY_THRESHOLDS.blackClip ? 1 : 0;
    white += value >= QUALITY_THRESHOLDS.whiteClip ? 1 : 0;
    count += 1;
  });

  const counted = Math.max(count, 1);
  return {
    sharpness: laplacianVariance(image),
    meanLuminance: total / counted,
    blackShare: black / counted,
    whiteShare: white / counted,
  };
}

/** Splits grey-and-alpha pixels into grey flattened onto MID_GREY and an opacity mask. */
function splitAlpha(pixels: Buffer, width: number, height: number): MeasuredImage {
  const data = new Uint8Array(width * height);
  const opaque = new Uint8Array(width * height);
  for (let index = 0; index < data.length; index += 1) {
    const grey = pixels[2 * index] ?? 0;
    const alpha = pixels[2 * index + 1] ?? 0;
    data[index] = Math.round((grey * alpha + MID_GREY * (255 - alpha)) / 255);
    opaque[index] = alpha >= MIN_OPAQUE_ALPHA ? 1 : 0;
  }
  return { data, width, height, opaque };
}

/** Renders the greyscale copy at MEASURE_SIZE, never enlarged. */
async function renderMeasuredImage(image: RawImage): Promise<MeasuredImage> {
  const fit = { width: MEASURE_SIZE, height: MEASURE_SIZE, fit: 'inside' as const };
  const { data, info } = await openRaw(image)
    .greyscale()
    .resize({ ...fit, withoutEnlargement: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 2) {
    return splitAlpha(data, info.width, info.height);
  }
  if (info.channels !== 1) {
    throw new Error(
      `sharp returned ${info.channels} channels for a greyscale image, expected 1 or 2`,
    );
  }
  return { data, width: info.width, height: info.height, opaque: null };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/**
 * Turns measures into flags and readable notes. `shortSide` is the shorter side of the
 * full-resolution upright photo.
 */
export function judgeQuality(
  measures: ExposureMeasures,
  shortSide: number,
  minShortSide: number,
): ImageQuality {
  const limits = QUALITY_THRESHOLDS;
  const sharpness = round(measures.sharpness, 1);
  const meanLuminance = round(measures.meanLuminance, 1);
  const blurry = sharpness < limits.minSharpness;
  const underExposed =
    meanLuminance < limits.darkMeanLuminance || measures.blackShare >= limits.maxBlackShare;
  const overExposed =
    meanLuminance > limits.brightMeanLuminance || measures.whiteShare >= limits.maxWhiteShare;
  const tooSmall = shortSide < minShortSide;

  const notes: string[] = [];
  if (blurry) {
    notes.push(`Photo is blurry (sharpness ${sharpness}, below ${limits.minSharpness}).`);
  }
  if (underExposed) {
    notes.push(
      `Photo is too dark (mean brightness ${meanLuminance} of 255, ${percent(measures.blackShare)} of pixels black).`,
    );
  }
  if (overExposed) {
    notes.push(
      `Photo is too bright (mean brightness ${meanLuminance} of 255, ${percent(measures.whiteShare)} of pixels white).`,
    );
  }
  if (tooSmall) {
    notes.push(`Photo is too small (short side ${shortSide} px, below ${minShortSide} px).`);
  }
  return { sharpness, blurry, meanLuminance, underExposed, overExposed, tooSmall, notes };
}

/** Measures the working copy at MEASURE_SIZE and judges it. */
export async function assessQuality(
  image: RawImage,
  shortSide: number,
  minShortSide: number,
): Promise<ImageQuality> {
  const measured = await renderMeasuredImage(image);
  return judgeQuality(measureGrey(measured), shortSide, minShortSide);
}
