// Retry schedule shared by the queues (answer edits, photos, submissions). Each queue row keeps
// its own `attempts` and `nextAttemptAt`, so one row waiting out its delay never delays the
// rows behind it. Only failures with a server response (408, 429, 5xx) count towards the limit,
// because a missing network is no fault of the row and an inspector may work offline for days.

/** Server failures after which a row stops retrying by itself and waits for retryFailed(). */
export const MAX_ATTEMPTS = 8;

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

/**
 * Returns the wait before attempt `attempts + 1`, in milliseconds: exponential from 2 s,
 * capped at 5 min, with "equal jitter" (half the step fixed, half random) so that devices
 * cut off together do not all come back at the same moment. A server's Retry-After wins
 * when it asks for longer.
 *
 * @example
 * retryDelayMs(1, () => 0.5); // 1500: step 2000, half fixed plus half of the other half
 */
export function retryDelayMs(
  attempts: number,
  random: () => number = Math.random,
  retryAfterMs: number | null = null,
): number {
  const exponent = Math.max(0, attempts - 1);
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** exponent);
  const delay = Math.round(step / 2 + (random() * step) / 2);
  return Math.max(delay, retryAfterMs ?? 0);
}

export interface RetryFields {
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly error: string | null;
}

export interface FailedAttempt {
  readonly message: string;
  /** Retry-After of the server's response, in milliseconds. */
  readonly retryAfterMs?: number | null;
  /** False when the server never responded (no network, connection refused, timed out). */
  readonly responded: boolean;
}

/**
 * Fields of a queue row after a failed attempt: one more attempt, the next try scheduled, and
 * `exhausted` once the server failed it MAX_ATTEMPTS times (the caller then marks it failed).
 */
export function scheduleRetry(
  attempts: number,
  nowMs: number,
  failure: FailedAttempt,
  random: () => number,
): RetryFields & { readonly exhausted: boolean } {
  const next = attempts + 1;
  return {
    attempts: next,
    nextAttemptAt: nowMs + retryDelayMs(next, random, failure.retryAfterMs ?? null),
    error: failure.message,
    exhausted: failure.responded && next >= MAX_ATTEMPTS,
  };
}
