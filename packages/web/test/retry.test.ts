import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMs, scheduleRetry } from '../src/data/retry.ts';

describe('retryDelayMs', () => {
  it.each([
    { attempts: 1, low: 1_000, high: 2_000 },
    { attempts: 2, low: 2_000, high: 4_000 },
    { attempts: 3, low: 4_000, high: 8_000 },
    { attempts: 5, low: 16_000, high: 32_000 },
    { attempts: 9, low: 150_000, high: 300_000 },
    { attempts: 30, low: 150_000, high: 300_000 },
  ])('waits $low to $high ms before attempt $attempts + 1', ({ attempts, low, high }) => {
    expect(retryDelayMs(attempts, () => 0)).toBe(low);
    expect(retryDelayMs(attempts, () => 1)).toBe(high);
  });

  it('spreads devices with jitter', () => {
    const delays = new Set([0.1, 0.4, 0.7].map((random) => retryDelayMs(3, () => random)));

    expect(delays.size).toBe(3);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(retryDelayMs(1, () => 0, 45_000)).toBe(45_000);
  });
});

describe('scheduleRetry', () => {
  const serverError = { message: 'HTTP 503', responded: true };

  it('counts the attempt and schedules the next', () => {
    const retry = scheduleRetry(0, 1_000_000, serverError, () => 0);

    expect(retry).toEqual({
      attempts: 1,
      nextAttemptAt: 1_001_000,
      error: 'HTTP 503',
      exhausted: false,
    });
  });

  it('gives up after the last server failure', () => {
    expect(scheduleRetry(MAX_ATTEMPTS - 2, 0, serverError, () => 0).exhausted).toBe(false);
    expect(scheduleRetry(MAX_ATTEMPTS - 1, 0, serverError, () => 0).exhausted).toBe(true);
  });

  it('never gives up on a missing network', () => {
    const offline = { message: 'no network', responded: false };

    expect(scheduleRetry(MAX_ATTEMPTS + 5, 0, offline, () => 0).exhausted).toBe(false);
  });

  it('passes Retry-After on to the delay', () => {
    const limited = { message: 'HTTP 429', responded: true, retryAfterMs: 60_000 };

    expect(scheduleRetry(0, 0, limited, () => 0).nextAttemptAt).toBe(60_000);
  });
});
