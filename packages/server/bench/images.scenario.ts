import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import {
  createImageProcessorPool,
  processImage,
  type ImageLimits,
} from '../src/modules/media/image/index.ts';
import type { BenchBudget } from './bench.options.ts';
import type { ComparisonRow, ScenarioResult } from './bench.results.ts';
import { median, roundTenth, timeInterleaved } from './bench.stats.ts';
import {
  decodeHeicOnly,
  encodeEachTierWithSharp,
  encodeHeicWithSharp,
  encodeOnceWithSharp,
} from './images.baseline.ts';

const PHOTOS_DIR = new URL('../fixtures/photos/', import.meta.url);

/** Defaults of MAX_UPLOAD_BYTES, MAX_IMAGE_PIXELS and MIN_PHOTO_SHORT_SIDE. */
const LIMITS: ImageLimits = { maxBytes: 31_457_280, maxPixels: 100_000_000, minShortSide: 480 };

const JPEG_PHOTO = 'electrical_panel_breakers_pixel3_4032x3024_orient6.jpg';
const HEIC_PHOTO = 'office_cubicle_room_iphone8_gps.heic';

/** The eight largest JPEG fixtures, 0.2 to 3.3 MB, from several cameras. */
const POOL_PHOTOS = [
  'electrical_panel_breakers_pixel3_4032x3024_orient6.jpg',
  'stone_wall_joint_stain_kodak_4608x3456.jpg',
  'alarm_panel_open_exposed_wiring.jpg',
  'memorial_plaque_text_sideways_orient1.jpg',
  'fire_extinguisher_cabinet_fire_warden_box.jpg',
  'people_meeting_room_iphone5s.jpg',
  'fire_sprinkler_head_closeup.jpg',
  'product_label_barcode_serial_text.jpg',
] as const;

const POOL_SIZE = 2;

type Encode = (bytes: Buffer) => Promise<unknown>;

interface PhotoTiming {
  readonly photo: string;
  readonly megapixels: number;
  readonly processImageMs: readonly number[];
  /** Run times of each baseline, by its description. */
  readonly baselineMs: Readonly<Record<string, readonly number[]>>;
}

const JPEG_BASELINES: Readonly<Record<string, Encode>> = {
  'sharp, one decode then the tiers': encodeOnceWithSharp,
  'sharp, one decode per tier': encodeEachTierWithSharp,
};

const HEIC_BASELINES: Readonly<Record<string, Encode>> = {
  'heic-decode + sharp': encodeHeicWithSharp,
  'heic-decode alone': decodeHeicOnly,
};

/**
 * Times processImage on a 12-megapixel JPEG and HEIC against sharp alone writing the same
 * derivatives, then the worker pool on eight JPEGs against processImage on them one at a time.
 */
export async function runImagesScenario(budget: BenchBudget): Promise<ScenarioResult> {
  const jpeg = await timePhoto(budget, JPEG_PHOTO, JPEG_BASELINES);
  const heic = await timePhoto(budget, HEIC_PHOTO, HEIC_BASELINES);
  const pool = await measurePool(budget);

  const rows: ComparisonRow[] = [
    ...photoRows('JPEG 12.2 MP (Pixel 3)', jpeg),
    ...photoRows('HEIC 12.2 MP (iPhone 8)', heic),
    {
      scenario: 'images',
      measure: `${POOL_PHOTOS.length} JPEGs: pool of ${POOL_SIZE} threads vs processImage in series`,
      unit: 'photos/s',
      avior: pool.poolPhotosPerSecond,
      baseline: pool.serialPhotosPerSecond,
    },
  ];
  return {
    scenario: 'images',
    rows,
    failures: [],
    raw: {
      limits: LIMITS,
      // libvips threads per pipeline; sharp 0.35 defaults to 1 on glibc Linux without jemalloc.
      sharpConcurrency: sharp.concurrency(),
      jpeg,
      heic,
      pool,
    },
  };
}

async function timePhoto(
  budget: BenchBudget,
  photo: string,
  baselines: Readonly<Record<string, Encode>>,
): Promise<PhotoTiming> {
  const bytes = await readPhoto(photo);
  const { width, height } = await sharp(bytes).metadata();
  const names = ['processImage', ...Object.keys(baselines)].join(', ');
  console.log(`images: ${photo}: ${names}, ${budget.timedRuns} interleaved rounds after a warm-up`);
  const { processImage: processImageMs, ...baselineMs } = await timeInterleaved(budget.timedRuns, {
    processImage: () => processImage(bytes, LIMITS),
    ...Object.fromEntries(
      Object.entries(baselines).map(([name, encode]) => [name, () => encode(bytes)]),
    ),
  });

  return {
    photo,
    megapixels: roundTenth((width * height) / 1_000_000),
    processImageMs,
    baselineMs,
  };
}

function photoRows(label: string, timing: PhotoTiming): ComparisonRow[] {
  return Object.entries(timing.baselineMs).map(([name, times]) => ({
    scenario: 'images',
    measure: `${label}: processImage vs ${name}`,
    unit: 'ms median',
    avior: roundTenth(median(timing.processImageMs)),
    baseline: roundTenth(median(times)),
  }));
}

/**
 * Sends the eight photos to a pool of two threads at once and times them until the last is
 * done, in rounds interleaved with the baseline, which processes the same photos one after
 * another on the main thread. The untimed first round also starts the threads.
 */
async function measurePool(budget: BenchBudget) {
  const photos = await Promise.all(POOL_PHOTOS.map(readPhoto));
  console.log(
    `images: ${photos.length} JPEGs through a pool of ${POOL_SIZE} threads and in series, ` +
      `${budget.timedRuns} interleaved rounds after a warm-up`,
  );
  const pool = createImageProcessorPool({ size: POOL_SIZE });
  try {
    const times = await timeInterleaved(budget.timedRuns, {
      pool: () => Promise.all(photos.map((bytes) => pool.process(bytes, LIMITS))),
      serial: async () => {
        for (const bytes of photos) await processImage(bytes, LIMITS);
      },
    });
    return {
      photos: POOL_PHOTOS,
      poolMs: times.pool,
      serialMs: times.serial,
      poolPhotosPerSecond: roundTenth((photos.length * 1000) / median(times.pool)),
      serialPhotosPerSecond: roundTenth((photos.length * 1000) / median(times.serial)),
    };
  } finally {
    await pool.close();
  }
}

function readPhoto(name: string): Promise<Buffer> {
  return readFile(new URL(name, PHOTOS_DIR));
}
