import type { Batch, DeviceWorkload } from './sync.workload.ts';

/** One HTTP request of a load, timed from send to the end of its JSON body. */
export interface SentRequest {
  /** Index of the device in the load's device list. */
  readonly device: number;
  readonly batch: number;
  /** 0 for the first send of a batch, 1 for its repeat. */
  readonly copy: 0 | 1;
  /** 1 for the first attempt; later attempts follow a timeout, 429 or 5xx. */
  readonly attempt: number;
  readonly latencyMs: number;
  /** HTTP status, or 0 when the request failed without a response. */
  readonly status: number;
  readonly body: unknown;
  readonly error?: string;
}

export interface LoadOutcome {
  readonly requests: readonly SentRequest[];
  /** Seconds from the first request sent to the last response. */
  readonly seconds: number;
  readonly devicesStarted: number;
  readonly devicesFinished: number;
  /** True when the time limit came before every batch was sent. */
  readonly stoppedByTimeLimit: boolean;
}

export interface LoadOptions {
  readonly label: string;
  /** Devices sending at once; each sends its batches one after another. */
  readonly concurrency: number;
  /**
   * Milliseconds after which no batch is sent. Before that, a batch waits while the mutations
   * in flight would keep the server busy past the limit at the rate measured so far.
   */
  readonly timeLimitMs: number;
}

/** Sends one batch of a device and returns the response status and JSON body. */
export type SendBatch = (
  device: DeviceWorkload,
  batch: Batch,
) => Promise<{ status: number; body: unknown }>;

const PROGRESS_INTERVAL_MS = 15_000;
/** How often a device waiting for the work in flight to shrink checks again. */
const ADMISSION_POLL_MS = 100;
/** Attempts per send, as a device retries a push whose response it did not get. */
const MAX_ATTEMPTS = 3;

/**
 * Runs the devices with at most `concurrency` of them sending at a time, each one batch after
 * another, repeating a batch as its retry mode sets, until every batch is sent or the time
 * limit passes. Near the limit fewer devices send at once, so that the load ends close to it
 * (see `fitsBeforeDeadline`). A send that times out or receives 429 or 5xx is tried again, up
 * to three attempts.
 */
export async function runDevices(
  devices: readonly DeviceWorkload[],
  options: LoadOptions,
  send: SendBatch,
): Promise<LoadOutcome> {
  const load = new DeviceLoad(devices, options, send);
  const progress = setInterval(() => load.reportProgress(), PROGRESS_INTERVAL_MS);
  try {
    return await load.run();
  } finally {
    clearInterval(progress);
  }
}

class DeviceLoad {
  private readonly started = performance.now();
  private readonly deadline: number;
  private readonly requests: SentRequest[] = [];
  private lastResponse = this.started;
  private next = 0;
  private devicesStarted = 0;
  private finished = 0;
  /** Mutations in requests still awaiting a response. */
  private inFlight = 0;
  /** Mutations in requests that received a response. */
  private processed = 0;

  constructor(
    private readonly devices: readonly DeviceWorkload[],
    private readonly options: LoadOptions,
    private readonly send: SendBatch,
  ) {
    this.deadline = this.started + options.timeLimitMs;
  }

  async run(): Promise<LoadOutcome> {
    const workers = Math.min(this.options.concurrency, this.devices.length);
    await Promise.all(Array.from({ length: workers }, () => this.work()));
    return {
      requests: this.requests,
      seconds: (this.lastResponse - this.started) / 1000,
      devicesStarted: this.devicesStarted,
      devicesFinished: this.finished,
      stoppedByTimeLimit: this.finished < this.devices.length,
    };
  }

  reportProgress(): void {
    const seconds = Math.round((performance.now() - this.started) / 1000);
    console.log(`${this.options.label}: ${this.requests.length} responses after ${seconds} s`);
  }

  private async work(): Promise<void> {
    while (this.next < this.devices.length) {
      const device = this.next;
      this.next += 1;
      if (!(await this.runDevice(device))) return;

      this.finished += 1;
    }
  }

  /** Sends the device's batches in order; returns false when the time limit stopped it. */
  private async runDevice(device: number): Promise<boolean> {
    const { batches, retry } = this.devices[device] as DeviceWorkload;
    for (const [index, batch] of batches.entries()) {
      const repeat = retry?.batch === index ? retry.mode : undefined;
      const copies = repeat === 'in-flight' ? 2 : 1;
      if (!(await this.admit(batch.edits.length * copies))) return false;
      if (index === 0) this.devicesStarted += 1;

      if (repeat === 'in-flight') {
        await Promise.all([this.sendBatch(device, index, 0), this.sendBatch(device, index, 1)]);
        continue;
      }
      await this.sendBatch(device, index, 0);
      if (repeat === 'after-response') await this.sendBatch(device, index, 1);
    }
    return true;
  }

  /** Waits until `mutations` more fit before the time limit; returns false once it passed. */
  private async admit(mutations: number): Promise<boolean> {
    while (performance.now() < this.deadline) {
      if (this.fitsBeforeDeadline(mutations)) return true;

      await new Promise((resolve) => setTimeout(resolve, ADMISSION_POLL_MS));
    }
    return false;
  }

  /**
   * Tells whether the server, at the rate measured so far, can apply the mutations in flight
   * and `mutations` more before the time limit. It must work through everything in flight
   * (PGlite even applies the pushes one after another), so without this check the load would
   * end long after the limit.
   */
  private fitsBeforeDeadline(mutations: number): boolean {
    const now = performance.now();
    const rate = this.processed / Math.max(now - this.started, 1);
    const drainMs = rate > 0 ? (this.inFlight + mutations) / rate : 0;
    return now + drainMs < this.deadline;
  }

  private async sendBatch(device: number, batch: number, copy: 0 | 1): Promise<void> {
    const mutations = this.devices[device]?.batches[batch]?.edits.length ?? 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const status = await this.attempt(device, batch, copy, attempt);
      if (!isRetryable(status) || !(await this.admit(mutations))) return;
    }
  }

  private async attempt(device: number, batch: number, copy: 0 | 1, attempt: number) {
    const workload = this.devices[device] as DeviceWorkload;
    const edits = workload.batches[batch]?.edits.length ?? 0;
    const sent = performance.now();
    this.inFlight += edits;
    const outcome = await this.send(workload, workload.batches[batch] as Batch).catch(
      (error: unknown) => ({ status: 0, body: undefined, error: describeError(error) }),
    );
    this.inFlight -= edits;
    if (outcome.status !== 0) this.processed += edits;

    this.lastResponse = performance.now();
    const timing = { device, batch, copy, attempt, latencyMs: this.lastResponse - sent };
    this.requests.push({ ...timing, ...outcome });
    return outcome.status;
  }
}

/**
 * Sends a JSON request and reads the JSON response, failing after `timeoutMs`. Other statuses
 * than 2xx return normally, so the caller counts them.
 */
export async function sendJson(
  url: string,
  init: { method: 'POST' | 'PUT'; token: string; body: unknown; timeoutMs: number },
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: init.method,
    headers: { authorization: `Bearer ${init.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, body: parseBody(text) };
}

// An error page from something other than the API is kept as text, so the failure shows it.
function parseBody(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text.slice(0, 300);
  }
}

/** Returns the `fraction` percentile of `values` by the nearest-rank method, or 0 when empty. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;

  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(Math.ceil(fraction * sorted.length), 1);
  return sorted[rank - 1] ?? 0;
}

function isRetryable(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);

  return error.name === 'TimeoutError' ? 'timed out' : error.message;
}
