import { Worker } from 'node:worker_threads';

import { ImageWorkerError } from './image.errors.ts';
import type { ImageLimits, ProcessedImage } from './image.types.ts';
import { deserializeError, reviveResult } from './image.worker-protocol.ts';
import type { WorkerJobMessage, WorkerReplyMessage } from './image.worker-protocol.ts';

export interface ImageProcessorPoolOptions {
  /** Number of worker threads, each processing one photo at a time. */
  readonly size: number;
  /** Script run by each thread. Defaults to image.worker.ts; tests substitute their own. */
  readonly workerUrl?: URL;
}

/**
 * Runs processImage on worker threads, off the caller's event loop. In image.bench.ts a
 * 12-megapixel HEIC stalled the loop for 0.9 to 1.9 s when processed directly, and for less
 * than 50 ms through the pool.
 */
export interface ImageProcessorPool {
  process(bytes: Buffer, limits: ImageLimits): Promise<ProcessedImage>;
  /** Stops every thread. Queued and running photos are rejected with ImageWorkerError. */
  close(): Promise<void>;
}

interface Job {
  readonly message: WorkerJobMessage;
  /** Buffer under `message.bytes`, owned by the pool and moved to the thread. */
  readonly transfer: ArrayBuffer;
  readonly resolve: (result: ProcessedImage) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  job: Job | null;
  lastError: Error | null;
}

/** Consecutive threads that may die before reporting ready until the pool gives up. */
const MAX_STARTUP_FAILURES = 3;

const DEFAULT_WORKER_URL = new URL('./image.worker.ts', import.meta.url);

/**
 * Plain JavaScript entry of each thread. It loads the worker script through tsx because
 * Node 20 ignores `--import tsx` in a Worker's execArgv, so a .ts entry would fail with
 * ERR_UNKNOWN_FILE_EXTENSION even under `node --import tsx`.
 */
const BOOTSTRAP_URL = new URL('./image.worker-bootstrap.mjs', import.meta.url);

class WorkerThreadPool implements ImageProcessorPool {
  readonly #workerUrl: URL;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextJobId = 1;
  #startupFailures = 0;
  #fatalError: Error | null = null;
  #closed = false;

  constructor(size: number, workerUrl: URL) {
    this.#workerUrl = workerUrl;
    for (let index = 0; index < size; index += 1) {
      this.#slots.push(this.#startWorker());
    }
  }

  process(bytes: Buffer, limits: ImageLimits): Promise<ProcessedImage> {
    const unavailable = this.#unavailableError();
    if (unavailable !== null) {
      return Promise.reject(unavailable);
    }

    return new Promise((resolve, reject) => {
      const copy = new Uint8Array(bytes);
      const message = { id: this.#nextJobId++, bytes: copy, limits };
      this.#queue.push({ message, transfer: copy.buffer, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#rejectQueue();
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #unavailableError(): Error | null {
    if (this.#closed) {
      return new ImageWorkerError('The image processor pool is closed.');
    }
    return this.#fatalError;
  }

  #startWorker(): Slot {
    const workerData = { entryUrl: this.#workerUrl.href };
    const worker = new Worker(BOOTSTRAP_URL, { workerData });
    const slot: Slot = { worker, ready: false, job: null, lastError: null };
    worker.on('message', (reply: WorkerReplyMessage) => this.#handleReply(slot, reply));
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (exitCode) => this.#handleExit(slot, exitCode));
    return slot;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      const job = slot.ready && slot.job === null ? this.#queue.shift() : undefined;
      if (job !== undefined) {
        slot.job = job;
        slot.worker.postMessage(job.message, [job.transfer]);
      }
    }
  }

  #handleReply(slot: Slot, reply: WorkerReplyMessage): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      this.#startupFailures = 0;
      this.#dispatch();
      return;
    }

    const job = slot.job;
    if (job === null || job.message.id !== reply.id) {
      return;
    }
    slot.job = null;
    if (reply.type === 'done') {
      job.resolve(reviveResult(reply.result));
    } else {
      job.reject(deserializeError(reply.error));
    }
    this.#dispatch();
  }

  #handleExit(slot: Slot, exitCode: number): void {
    const index = this.#slots.indexOf(slot);
    slot.job?.reject(this.#exitError(slot, exitCode));
    slot.job = null;
    if (this.#closed || index === -1) {
      return;
    }

    this.#startupFailures += slot.ready ? 0 : 1;
    if (this.#startupFailures >= MAX_STARTUP_FAILURES) {
      this.#failPermanently(slot, exitCode);
      return;
    }
    this.#slots[index] = this.#startWorker();
  }

  #exitError(slot: Slot, exitCode: number): ImageWorkerError {
    if (this.#closed) {
      return new ImageWorkerError(
        'The image processor pool was closed before the photo was processed.',
      );
    }
    return new ImageWorkerError(
      `The image worker thread stopped with exit code ${exitCode} while processing the photo.`,
      { cause: slot.lastError ?? undefined },
    );
  }

  #failPermanently(slot: Slot, exitCode: number): void {
    this.#fatalError = new ImageWorkerError(
      `Image worker threads stopped ${MAX_STARTUP_FAILURES} times before starting (last exit code ${exitCode}); check that ${this.#workerUrl.href} loads.`,
      { cause: slot.lastError ?? undefined },
    );
    this.#rejectQueue();
  }

  #rejectQueue(): void {
    const error =
      this.#unavailableError() ?? new ImageWorkerError('The image processor pool stopped.');
    for (const job of this.#queue.splice(0)) {
      job.reject(error);
    }
  }
}

/**
 * Starts `size` worker threads that run processImage. Jobs beyond `size` wait in a queue.
 * A thread that dies is replaced, and only the photo it was processing is rejected. The
 * threads keep the process alive until close() is called.
 *
 * @example
 * const pool = createImageProcessorPool({ size: 2 });
 * const processed = await pool.process(bytes, limits);
 * await pool.close();
 */
export function createImageProcessorPool(options: ImageProcessorPoolOptions): ImageProcessorPool {
  if (!Number.isInteger(options.size) || options.size < 1) {
    throw new RangeError(`Pool size must be a positive integer, got ${options.size}`);
  }
  return new WorkerThreadPool(options.size, options.workerUrl ?? DEFAULT_WORKER_URL);
}
