import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffDelayMs, type RetryPolicy } from './bus.backoff.ts';

const POLICY: RetryPolicy = { baseMs: 100, capMs: 1_000, maxAttempts: 8 };

describe('backoffCeilingMs', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000],
    [20, 1_000],
  ])('after attempt %i is %i ms', (attempt, expected) => {
    expect(backoffCeilingMs(POLICY, attempt)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, 100],
    [1, 1, 200],
    [3, 0, 100],
    [3, 0.5, 450],
    [3, 1, 800],
    [9, 1, 1_000],
  ])('after attempt %i with random %f is %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(POLICY, attempt, () => random)).toBe(expected);
  });

  it('never goes below the cap when baseMs equals capMs', () => {
    const flat: RetryPolicy = { baseMs: 500, capMs: 500, maxAttempts: 3 };

    expect(backoffDelayMs(flat, 4, () => 0)).toBe(500);
  });
});
