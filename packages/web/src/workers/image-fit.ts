/**
 * Returns the size of an image scaled down to fit `maxSide` on its longest side, keeping the
 * aspect ratio. Images already small enough keep their size; sides never round to 0.
 *
 * @example
 * fitWithin(4032, 3024, 2048); // { width: 2048, height: 1536 }
 */
export function fitWithin(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height };

  const scale = maxSide / longest;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
