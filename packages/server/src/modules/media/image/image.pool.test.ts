import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ImageRejectedError, ImageWorkerError } from './image.errors.ts';
import { createImageProcessorPool } from './image.pool.ts';
import type { ImageProcessorPool } from './image.pool.ts';
import { processImage } from './image.processor.ts';
import { PHOTOS, readPhoto, TEST_LIMITS } from './image.test-support.ts';

/** Length of the input that makes the crashing test worker exit. */
const CRASH_INPUT_LENGTH = 13;

let pool: ImageProcessorPool;
let crashDirectory: string;

/** Writes a worker that exits on a 13-byte input and otherwise runs the real worker. */
function writeCrashingWorker(): URL {
  crashDirectory = mkdtempSync(join(tmpdir(), 'avior-image-pool-'));
  const realWorker = new URL('./image.worker.ts', import.meta.url).href;
  const source = [
    "import { parentPort } from 'node:worker_threads';",
    'parentPort.on("message", (job) => {',
    `  if (job.bytes.length === ${CRASH_INPUT_LENGTH}) process.exit(70);`,
    '});',
    `await import(${JSON.stringify(realWorker)});`,
  ].join('\n');
  const path = join(crashDirectory, 'crashing.worker.mts');
  writeFileSync(path, source);
  return pathToFileURL(path);
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

beforeAll(() => {
  pool = createImageProcessorPool({ size: 2 });
});

afterAll(async () => {
  await pool.close();
  rmSync(crashDirectory, { recursive: true, force: true });
});

describe('ImageProcessorPool', () => {
  it.each([PHOTOS.kodakWall, PHOTOS.kitchenHeic, PHOTOS.alphaFlower])(
    'returns what processImage returns for %s',
    async (name) => {
      const photo = readPhoto(name);
      const [pooled, direct] = await Promise.all([
        pool.process(photo, TEST_LIMITS),
        processImage(photo, TEST_LIMITS),
      ]);
      const { derivatives, ...rest } = pooled;
      const { derivatives: directDerivatives, ...directRest } = direct;
      expect(rest).toEqual(directRest);
      expect(derivatives.map((item) => ({ ...item, bytes: item.bytes.length }))).toEqual(
        directDerivatives.map((item) => ({ ...item, bytes: item.bytes.length })),
      );
      const sameBytes = derivatives.map((item, index) =>
        item.bytes.equals(directDerivatives[index]?.bytes ?? Buffer.alloc(0)),
      );
      expect(sameBytes).toEqual([true, true, true, true]);
    },
  );

  it('returns derivative bytes as Buffers', async () => {
    const result = await pool.process(readPhoto(PHOTOS.tiny), TEST_LIMITS);
    expect(result.derivatives.every((item) => Buffer.isBuffer(item.bytes))).toBe(true);
  });

  it.each([
    ['empty', Buffer.alloc(0), TEST_LIMITS],
    ['unsupported_type', Buffer.from('plain text, not a photo'), TEST_LIMITS],
    ['corrupt', readPhoto(PHOTOS.kodakWall).subarray(0, 1_000_000), TEST_LIMITS],
    ['too_large', readPhoto(PHOTOS.tiny), { ...TEST_LIMITS, maxBytes: 1000 }],
    ['too_many_pixels', readPhoto(PHOTOS.tiny), { ...TEST_LIMITS, maxPixels: 5000 }],
  ] as const)('maps a %s rejection from the thread', async (code, bytes, limits) => {
    const error = await rejectionOf(pool.process(bytes, limits));
    expect(error).toBeInstanceOf(ImageRejectedError);
    expect((error as ImageRejectedError).code).toBe(code);
  });

  it('keeps the message of a rejection', async () => {
    const error = await rejectionOf(pool.process(Buffer.from('%PDF-1.7'), TEST_LIMITS));
    expect(error.message).toContain('its bytes start like a PDF document');
  });

  it('processes more photos than threads', async () => {
    const photos = Array.from({ length: 5 }, () => readPhoto(PHOTOS.productLabel));
    const results = await Promise.all(photos.map((photo) => pool.process(photo, TEST_LIMITS)));
    expect(new Set(results.map((result) => result.perceptualHash)).size).toBe(1);
  });
});

describe('ImageProcessorPool crashes', () => {
  it('rejects only the job whose worker died', async () => {
    const crashingPool = createImageProcessorPool({ size: 1, workerUrl: writeCrashingWorker() });
    try {
      const [crashed, queued] = await Promise.allSettled([
        crashingPool.process(Buffer.alloc(CRASH_INPUT_LENGTH, 1), TEST_LIMITS),
        crashingPool.process(readPhoto(PHOTOS.tiny), TEST_LIMITS),
      ]);
      const error: unknown = crashed.status === 'rejected' ? crashed.reason : null;
      expect(error).toBeInstanceOf(ImageWorkerError);
      expect((error as ImageWorkerError).message).toContain('exit code 70');
      expect(queued.status === 'fulfilled' ? queued.value.metadata.width : null).toBe(59);
    } finally {
      await crashingPool.close();
    }
  });

  it('replaces the worker for later jobs', async () => {
    const crashingPool = createImageProcessorPool({ size: 1, workerUrl: writeCrashingWorker() });
    try {
      await rejectionOf(crashingPool.process(Buffer.alloc(CRASH_INPUT_LENGTH, 1), TEST_LIMITS));
      await rejectionOf(crashingPool.process(Buffer.alloc(CRASH_INPUT_LENGTH, 1), TEST_LIMITS));
      const result = await crashingPool.process(readPhoto(PHOTOS.tiny), TEST_LIMITS);
      expect(result.metadata.height).toBe(100);
    } finally {
      await crashingPool.close();
    }
  });

  it('gives up when threads die before starting', async () => {
    const missing = new URL('file:///nonexistent/avior/image.worker.ts');
    const brokenPool = createImageProcessorPool({ size: 1, workerUrl: missing });
    try {
      const error = await rejectionOf(brokenPool.process(readPhoto(PHOTOS.tiny), TEST_LIMITS));
      expect(error).toBeInstanceOf(ImageWorkerError);
      expect(error.message).toContain('stopped 3 times before starting');
    } finally {
      await brokenPool.close();
    }
  });

  it('rejects jobs after close', async () => {
    const closedPool = createImageProcessorPool({ size: 1 });
    await closedPool.close();
    const error = await rejectionOf(closedPool.process(readPhoto(PHOTOS.tiny), TEST_LIMITS));
    expect(error.message).toContain('pool is closed');
  });

  it.each([0, 1.5, -1])('rejects a pool size of %d', (size) => {
    expect(() => createImageProcessorPool({ size })).toThrow(RangeError);
  });
});
