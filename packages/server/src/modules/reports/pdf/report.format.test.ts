import { describe, expect, it } from 'vitest';

import { countOf, formatGps, formatScore, formatTimestamp, riskLabel } from './report.format.ts';

describe('formatTimestamp', () => {
  it.each([
    ['a UTC timestamp', '2025-03-14T09:41:07Z', '2025-03-14 09:41 UTC'],
    ['a timestamp with an offset', '2025-03-14T11:41:07+02:00', '2025-03-14 09:41 UTC'],
    ['a date without a time', '2025-03-21', '2025-03-21'],
    ['text that is not a date', 'next Tuesday', 'next Tuesday'],
    ['null', null, 'Not set'],
    ['a blank string', '  ', 'Not set'],
  ])('formats %s', (_case, value, expected) => {
    expect(formatTimestamp(value)).toBe(expected);
  });

  it('uses the given text for a missing value', () => {
    expect(formatTimestamp(null, 'Not submitted')).toBe('Not submitted');
  });
});

describe('formatScore', () => {
  it.each([
    [72, '72 / 100'],
    [62.54, '62.5 / 100'],
    [0, '0 / 100'],
    [null, 'Not scored'],
    [Number.NaN, 'Not scored'],
  ])('formats %s', (score, expected) => {
    expect(formatScore(score)).toBe(expected);
  });
});

describe('formatGps', () => {
  it('prints five decimals', () => {
    expect(formatGps({ latitude: 45.776391, longitude: -4.832 })).toBe('45.77639, -4.83200');
  });
});

describe('riskLabel', () => {
  it.each([
    ['critical', 'Critical risk'],
    [null, 'Risk not assessed'],
  ] as const)('labels %s', (level, expected) => {
    expect(riskLabel(level)).toBe(expected);
  });
});

describe('countOf', () => {
  it.each([
    [1, '1 photo'],
    [0, '0 photos'],
    [3, '3 photos'],
  ])('counts %i', (count, expected) => {
    expect(countOf(count, 'photo')).toBe(expected);
  });
});
