/** Returns the median of `values`, or NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;

  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;

  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Runs every function of `work` once untimed, to warm caches and code paths, then `rounds`
 * rounds that each run every function once in turn, so a change in the machine's load during
 * the bench falls on all of them alike. Returns each function's run times in milliseconds.
 */
export async function timeInterleaved<Name extends string>(
  rounds: number,
  work: Readonly<Record<Name, () => Promise<unknown>>>,
): Promise<Record<Name, number[]>> {
  const entries = Object.entries(work) as [Name, () => Promise<unknown>][];
  for (const [, run] of entries) await run();

  const times = Object.fromEntries(entries.map(([name]) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, run] of entries) {
      const started = performance.now();
      await run();
      times[name]?.push(roundTenth(performance.now() - started));
    }
  }

  return times as Record<Name, number[]>;
}

/** Rounds to a tenth, which is finer than the noise of any figure here. */
export function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}
