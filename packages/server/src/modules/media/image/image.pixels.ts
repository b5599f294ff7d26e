import sharp from 'sharp';
import type { Sharp } from 'sharp';

import type { RawImage } from './image.decoder.ts';

/** An sRGB colour with 8-bit channels. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** Opens the working copy in sharp. */
export function openRaw(image: RawImage): Sharp {
  const { width, height, channels } = image;
  return sharp(image.data, { raw: { width, height, channels } });
}

/** Opens the working copy with any transparency composited onto `background`. */
export function openFlattened(image: RawImage, background: Rgb = WHITE): Sharp {
  const pipeline = openRaw(image);
  return image.channels === 4 ? pipeline.flatten({ background }) : pipeline;
}

/** 8-bit greyscale pixels, one byte per pixel, rows top to bottom. */
export interface GreyImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Renders a greyscale copy of the working copy, transparency on `background`, then resized. */
export async function renderGrey(
  image: RawImage,
  resize: (pipeline: Sharp) => Sharp,
  background: Rgb = WHITE,
): Promise<GreyImage> {
  const pipeline = resize(openFlattened(image, background).greyscale());
  const { data, info } = await pipeline
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) {
    throw new Error(`sharp returned ${info.channels} channels for a greyscale image, expected 1`);
  }
  return { data, width: info.width, height: info.height };
}
