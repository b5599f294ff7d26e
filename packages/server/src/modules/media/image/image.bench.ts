// Measures processImage against sharp alone, and the event-loop delay with and without the
// worker pool. Run from packages/server: node --import tsx src/modules/media/image/image.bench.ts
import { monitorEventLoopDelay } from 'node:perf_hooks';

import sharp from 'sharp';

import { decodeHeic } from './heic.decoder.ts';
import { createImageProcessorPool } from './image.pool.ts';
import { processImage } from './image.processor.ts';
import { PHOTOS, readPhoto, TEST_LIMITS } from './image.test-support.ts';

const RUNS = 5;

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)] ?? 0);
}

type Open = () => ReturnType<typeof sharp>;

/** Encodes the three WebP tiers straight from the source, as a service without this module would. */
function threeResizes(open: Open): Promise<unknown> {
  return Promise.all(
    [2048, 1024, 320].map((side) =>
      open().resize(side, side, { fit: 'inside' }).webp({ quality: 80 }).toBuffer(),
    ),
  );
}

async function heicThenSharp(bytes: Buffer): Promise<unknown> {
  const { width, height, data } = await decodeHeic(bytes);
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return threeResizes(() => sharp(raw, { raw: { width, height, channels: 4 } }));
}

/** Returns the maximum event-loop delay, in milliseconds, while `run` is in flight. */
async function maxLoopDelayMs(run: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await run();
  histogram.disable();
  return Math.round(histogram.max / 1e6);
}

async function main(): Promise<void> {
  const kodak = readPhoto(PHOTOS.kodakWall);
  const heic = readPhoto(PHOTOS.kitchenHeic);
  const rows: Record<string, number> = {
    'processImage, Kodak 4608x3456 JPEG': await medianMs(() => processImage(kodak, TEST_LIMITS)),
    'sharp alone, 3 WebP resizes of the Kodak JPEG': await medianMs(() =>
      threeResizes(() => sharp(kodak).rotate()),
    ),
    'processImage, iPhone 13 HEIC 4032x3024': await medianMs(() => processImage(heic, TEST_LIMITS)),
    'heic-decode alone, iPhone 13 HEIC': await medianMs(() => decodeHeic(heic)),
    'heic-decode + sharp, 3 WebP resizes of the HEIC': await medianMs(() => heicThenSharp(heic)),
  };

  const startedAt = performance.now();
  const pool = createImageProcessorPool({ size: 2 });
  await pool.process(readPhoto(PHOTOS.tiny), TEST_LIMITS);
  rows['pool start-up and first tiny photo'] = Math.round(performance.now() - startedAt);
  rows['pool.process, iPhone 13 HEIC'] = await medianMs(() => pool.process(heic, TEST_LIMITS));
  rows['max event-loop stall, processImage on the HEIC'] = await maxLoopDelayMs(() =>
    processImage(heic, TEST_LIMITS),
  );
  rows['max event-loop stall, pool.process on the HEIC'] = await maxLoopDelayMs(() =>
    pool.process(heic, TEST_LIMITS),
  );
  await pool.close();

  for (const [label, milliseconds] of Object.entries(rows)) {
    console.log(`${label.padEnd(50)} ${String(milliseconds).padStart(6)} ms`);
  }
}

await main();
