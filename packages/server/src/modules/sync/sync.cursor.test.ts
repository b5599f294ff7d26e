import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, START_POSITION } from './sync.cursor.ts';

describe('sync cursor', () => {
  it('round-trips a position', () => {
    const position = { txId: '18446744073709551615', seq: 9_007_199_254_740_991 };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('starts at the beginning without a cursor', () => {
    expect(decodeCursor(undefined)).toEqual(START_POSITION);
  });

  it.each(['not-a-cursor', Buffer.from('v2:1:1').toString('base64url'), '%%%'])(
    'rejects %j naming the cursor field',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(/querystring\.cursor/);
    },
  );
});
