/** Outcome of one handler run. `retry` and `dead` follow a thrown error. */
export type RunOutcome = 'done' | 'skipped' | 'retry' | 'dead';

/**
 * Hooks the bus calls so a metrics module can record them, because the bus itself depends on
 * no metrics library.
 *
 * @example
 * const metrics: BusMetrics = {
 *   onJobDone: (topic, group, outcome, seconds) =>
 *     jobDuration.observe({ topic, group, outcome }, seconds),
 *   onLag: (topic, group, pending) => consumerLag.set({ topic, group }, pending),
 * };
 */
export interface BusMetrics {
  /** Called after every handler run with its duration in seconds. */
  readonly onJobDone?: (topic: string, group: string, outcome: RunOutcome, seconds: number) => void;
  /** Called by `lag()` for each group: unfinished events and the age of the oldest, in seconds. */
  readonly onLag?: (
    topic: string,
    group: string,
    pending: number,
    oldestAgeSeconds: number,
  ) => void;
}
