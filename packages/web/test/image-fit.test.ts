import { describe, expect, it } from 'vitest';
import { fitWithin } from '../src/workers/image-fit.ts';

describe('fitWithin', () => {
  it.each([
    { width: 4032, height: 3024, max: 2048, expected: { width: 2048, height: 1536 } },
    { width: 3024, height: 4032, max: 2048, expected: { width: 1536, height: 2048 } },
    { width: 1200, height: 800, max: 2048, expected: { width: 1200, height: 800 } },
    { width: 4000, height: 1, max: 320, expected: { width: 320, height: 1 } },
    { width: 2048, height: 2048, max: 2048, expected: { width: 2048, height: 2048 } },
  ])('fits $width x $height within $max', ({ width, height, max, expected }) => {
    expect(fitWithin(width, height, max)).toEqual(expected);
  });
});
