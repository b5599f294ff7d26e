export interface RetryPolicy {
  /** Minimum delay before any retry, in milliseconds. */
  readonly baseMs: number;
  /** Maximum delay before a retry, in milliseconds. */
  readonly capMs: number;
  /** Maximum handler runs per delivery before it is dead-lettered, counting crashed runs. */
  readonly maxAttempts: number;
}

/**
 * Returns the longest delay after failed attempt `attempt` (1-based): baseMs * 2^attempt,
 * capped at capMs.
 */
export function backoffCeilingMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
}

/**
 * Picks the delay after failed attempt `attempt` (1-based): exponential backoff with full
 * jitter above a floor, uniform in [baseMs, ceiling]. The jitter spreads the retries of many
 * deliveries that failed together (a database restart) instead of retrying them in lockstep,
 * and the floor keeps a retry from landing at once.
 *
 * @example
 * backoffDelayMs({ baseMs: 1_000, capMs: 60_000, maxAttempts: 8 }, 3); // 1000..8000
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeilingMs(policy, attempt);
  const floor = Math.min(policy.baseMs, ceiling);

  return Math.round(floor + random() * (ceiling - floor));
}
