import { describe, expect, it } from 'vitest';
import {
  compareHlc,
  formatHlc,
  HlcError,
  HybridLogicalClock,
  MAX_COUNTER,
  parseHlc,
} from '@avior/contract';

const T0 = 1_764_849_600_000;
const DAY = 24 * 60 * 60 * 1000;

function clockAt(times: number[], node = 'server', maxDriftMs?: number) {
  let index = 0;
  const now = () => times[Math.min(index++, times.length - 1)] ?? 0;
  return new HybridLogicalClock(node, { now, ...(maxDriftMs ? { maxDriftMs } : {}) });
}

describe('formatHlc', () => {
  it('pads wall time and counter', () => {
    expect(formatHlc({ wallMs: 5, counter: 10, node: 'a' })).toBe('0000000000005-000a-a');
  });

  it('round-trips through parseHlc', () => {
    const parts = { wallMs: T0, counter: 0x1f, node: 'phone-7' };
    expect(parseHlc(formatHlc(parts))).toEqual(parts);
  });

  it.each(['', '123-0000-a', `${T0}-00g0-a`, `${T0}-0000-`, `${T0}-0000-a b`])(
    'rejects the malformed stamp %j',
    (stamp) => {
      expect(() => parseHlc(stamp)).toThrow(HlcError);
    },
  );
});

describe('compareHlc', () => {
  it.each([
    [
      formatHlc({ wallMs: T0, counter: 0, node: 'b' }),
      formatHlc({ wallMs: T0 + 1, counter: 0, node: 'a' }),
    ],
    [
      formatHlc({ wallMs: T0, counter: 9, node: 'z' }),
      formatHlc({ wallMs: T0, counter: 10, node: 'a' }),
    ],
    [
      formatHlc({ wallMs: T0, counter: 1, node: 'a' }),
      formatHlc({ wallMs: T0, counter: 1, node: 'b' }),
    ],
    [
      formatHlc({ wallMs: 999, counter: 0, node: 'a' }),
      formatHlc({ wallMs: T0, counter: 0, node: 'a' }),
    ],
  ])('orders %s before %s', (earlier, later) => {
    expect(compareHlc(earlier, later)).toBeLessThan(0);
  });

  it('finds a stamp equal to itself', () => {
    expect(compareHlc(`${T0}-0000-a`, `${T0}-0000-a`)).toBe(0);
  });
});

describe('HybridLogicalClock', () => {
  it('stamps later on every tick while the wall clock stands still', () => {
    const clock = clockAt([T0]);
    const first = clock.tick();
    const second = clock.tick();
    expect(compareHlc(first, second)).toBeLessThan(0);
  });

  it('keeps order when the wall clock goes backwards', () => {
    const clock = clockAt([T0, T0 - 5_000]);
    const first = clock.tick();
    const second = clock.tick();
    expect(compareHlc(first, second)).toBeLessThan(0);
  });

  it('rolls the counter over into the next millisecond', () => {
    const clock = clockAt([T0]);
    clock.receive(formatHlc({ wallMs: T0, counter: MAX_COUNTER - 1, node: 'phone' }));
    const rolled = parseHlc(clock.tick());
    expect(rolled).toEqual({ wallMs: T0 + 1, counter: 0, node: 'server' });
  });

  it('stamps after a received stamp from a clock ahead', () => {
    const clock = clockAt([T0]);
    const remote = formatHlc({ wallMs: T0 + 60_000, counter: 3, node: 'phone' });
    clock.receive(remote);
    expect(compareHlc(remote, clock.tick())).toBeLessThan(0);
  });

  it('stamps after a received stamp from a clock days behind', () => {
    const clock = clockAt([T0]);
    const local = clock.tick();
    clock.receive(formatHlc({ wallMs: T0 - 3 * DAY, counter: 7, node: 'phone' }));
    expect(compareHlc(local, clock.tick())).toBeLessThan(0);
  });

  it('takes the larger counter when wall times match', () => {
    const clock = clockAt([T0]);
    clock.tick();
    const merged = parseHlc(clock.receive(formatHlc({ wallMs: T0, counter: 40, node: 'phone' })));
    expect(merged.counter).toBe(41);
  });

  it('rejects a stamp more than the drift ahead', () => {
    const clock = clockAt([T0], 'server', DAY);
    const ahead = formatHlc({ wallMs: T0 + DAY + 1, counter: 0, node: 'phone' });
    expect(() => clock.receive(ahead)).toThrow(/ahead of the server clock/);
  });

  it('accepts a stamp just inside the drift', () => {
    const clock = clockAt([T0], 'server', DAY);
    const ahead = formatHlc({ wallMs: T0 + DAY, counter: 0, node: 'phone' });
    expect(() => clock.receive(ahead)).not.toThrow();
  });

  it('rejects an invalid node id', () => {
    expect(() => new HybridLogicalClock('has space')).toThrow(HlcError);
  });
});
