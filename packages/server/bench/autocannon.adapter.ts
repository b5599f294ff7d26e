import { createRequire } from 'node:module';

/** One request of a load run; `setupRequest` runs before every send and may rewrite it. */
export interface LoadRequest {
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly setupRequest?: (request: { body?: string }) => { body?: string };
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /** Seconds of load. */
  readonly duration: number;
  /** Upper bound on responses over the whole run, so a very fast target still stops early. */
  readonly maxOverallRequests: number;
  /** Seconds before a request counts as timed out. */
  readonly timeout: number;
  readonly requests: readonly LoadRequest[];
}

/** The subset of an autocannon histogram that the bench reads. Latencies are in milliseconds. */
export interface LoadHistogram {
  readonly average: number;
  readonly p50: number;
  readonly p97_5: number;
  readonly p99: number;
  readonly max: number;
}

/** A load run's result with its histograms still encoded, so several runs can be merged. */
export interface RawLoadResult {
  /** Seconds from the first request sent to the end of the run. */
  readonly duration: number;
  readonly totalCompletedRequests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>;
}

/** Latency percentiles of several runs merged into one histogram. */
interface MergedLatency {
  readonly latency: LoadHistogram;
}

interface Autocannon {
  (options: LoadOptions & { readonly skipAggregateResult: true }): Promise<RawLoadResult>;
  aggregateResult(
    results: readonly RawLoadResult[],
    options: { readonly url: string; readonly connections: number },
  ): MergedLatency;
}

// autocannon 8 is CommonJS without type declarations, so it is loaded through require and
// typed here with the options and result fields the bench uses.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Runs one autocannon load and resolves with its result before aggregation. */
export function runLoad(options: LoadOptions): Promise<RawLoadResult> {
  return autocannon({ ...options, skipAggregateResult: true });
}

/**
 * Merges the latency histograms of several runs against one target. autocannon's merge counts
 * only the first run's duration, so callers sum durations and counts from the raw results.
 * The merge adds later runs' status counts into the first run's object, so it receives copies.
 */
export function mergeLatencies(
  results: readonly RawLoadResult[],
  options: { readonly url: string; readonly connections: number },
): LoadHistogram {
  const copies = results.map((result) => ({
    ...result,
    statusCodeStats: structuredClone(result.statusCodeStats),
  }));
  return autocannon.aggregateResult(copies, options).latency;
}
