import { HlcError, parseHlc } from '@avior/contract';

/**
 * Maximum lead, in milliseconds, of a pushed stamp's wall time over the server clock. The server
 * merges accepted stamps into the clock it stamps conflict resolutions with, so this bounds how
 * far one device can move that clock ahead. The web app sets its clock from the server's `Date`
 * header and stamps a change again when a push is rejected for a stamp too far ahead.
 */
export const SYNC_MAX_CLOCK_LEAD_MS = 10 * 60 * 1000;

/**
 * Checks a pushed stamp without merging it into any clock. Returns the problem, or undefined
 * when the stamp is well formed and at most `maxLeadMs` ahead of `nowMs`.
 *
 * @example
 * stampProblem('9999999999999-0000-phone-7', Date.now(), SYNC_MAX_CLOCK_LEAD_MS);
 * // 'has wall time 9999999999999, ... ms ahead of the server clock; at most 600000 ms is allowed'
 */
export function stampProblem(stamp: string, nowMs: number, maxLeadMs: number): string | undefined {
  let wallMs: number;
  try {
    wallMs = parseHlc(stamp).wallMs;
  } catch (error) {
    if (!(error instanceof HlcError)) throw error;
    return error.message;
  }

  const leadMs = wallMs - nowMs;
  if (leadMs <= maxLeadMs) return undefined;
  return `has wall time ${wallMs}, ${leadMs} ms ahead of the server clock; at most ${maxLeadMs} ms is allowed, so correct the device clock and stamp the change again`;
}
