import type { ChangePosition } from './sync.repository.ts';
import { fieldInvalid } from './sync.errors.ts';

/** The position before every change; a device with no cursor starts here. */
export const START_POSITION: ChangePosition = { txId: '0', seq: 0 };

const POSITION = /^v1:(\d{1,20}):(\d{1,19})$/;

/**
 * Encodes a change-log position as an opaque cursor. Devices store it as is, so the format can
 * change behind the `v1` prefix.
 *
 * @example
 * decodeCursor(encodeCursor({ txId: '812', seq: 40 })); // { txId: '812', seq: 40 }
 */
export function encodeCursor(position: ChangePosition): string {
  return Buffer.from(`v1:${position.txId}:${position.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): ChangePosition {
  if (cursor === undefined || cursor === '') return START_POSITION;

  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) {
    throw fieldInvalid('querystring.cursor', 'is not a cursor returned by this server');
  }
  return { txId: match[1], seq: Number(match[2]) };
}
