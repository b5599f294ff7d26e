// Hybrid logical clock stamps as text: `<wall ms, 13 digits>-<counter, 4 hex>-<node id>`.
// The wall and counter fields have a fixed width, so the text order of two stamps is their
// clock order and stamps compare as plain strings.

/** Fields of a stamp: wall time in Unix milliseconds, logical counter and node id. */
export interface HlcParts {
  readonly wallMs: number;
  readonly counter: number;
  readonly node: string;
}

export const MAX_COUNTER = 0xffff;
const STAMP = /^(\d{13})-([0-9a-f]{4})-([A-Za-z0-9_.:-]{1,64})$/;

/** Raised when a stamp is malformed or too far ahead of the local clock. */
export class HlcError extends Error {
  constructor(
    readonly reason: 'malformed' | 'drift',
    message: string,
  ) {
    super(message);
    this.name = 'HlcError';
  }
}

export function formatHlc(parts: HlcParts): string {
  const wall = String(parts.wallMs).padStart(13, '0');
  const counter = parts.counter.toString(16).padStart(4, '0');
  return `${wall}-${counter}-${parts.node}`;
}

export function parseHlc(stamp: string): HlcParts {
  const match = STAMP.exec(stamp);
  if (!match) throw new HlcError('malformed', `invalid HLC stamp ${JSON.stringify(stamp)}`);

  return { wallMs: Number(match[1]), counter: parseInt(match[2] ?? '0', 16), node: match[3] ?? '' };
}

/** Orders two stamps: negative when `a` is earlier, 0 when equal, positive when later. */
export function compareHlc(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export interface HlcOptions {
  /** How far ahead of the local wall clock a received stamp may be, in milliseconds. */
  readonly maxDriftMs?: number;
  /** Source of wall time in Unix milliseconds. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_DRIFT_MS = 24 * 60 * 60 * 1000;

/**
 * Hybrid logical clock of one node. Stamps it returns are later than every stamp it issued or
 * received before.
 *
 * @example
 * const clock = new HybridLogicalClock('server');
 * clock.receive('1764849600000-0003-phone-7');
 * const stamp = clock.tick(); // later than 1764849600000-0003-phone-7
 */
export class HybridLogicalClock {
  private wallMs = 0;
  private counter = 0;
  private readonly maxDriftMs: number;
  private readonly now: () => number;

  constructor(
    readonly node: string,
    options: HlcOptions = {},
  ) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(node))
      throw new HlcError('malformed', `invalid node id ${node}`);
    this.maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
    this.now = options.now ?? Date.now;
  }

  /** Advances the clock for a local event and returns its stamp. */
  tick(): string {
    const physical = this.now();
    if (physical > this.wallMs) {
      this.wallMs = physical;
      this.counter = 0;
    } else {
      this.bumpCounter();
    }
    return this.current();
  }

  /**
   * Merges a remote stamp so that the next local stamp is later than it. Throws an HlcError
   * when the stamp is malformed or its wall time is more than the allowed drift ahead.
   */
  receive(stamp: string): string {
    const remote = parseHlc(stamp);
    const physical = this.now();
    if (remote.wallMs - physical > this.maxDriftMs) {
      throw new HlcError(
        'drift',
        `HLC wall time ${remote.wallMs} is more than ${this.maxDriftMs} ms ahead of the server clock`,
      );
    }

    const previous = this.wallMs;
    const wall = Math.max(previous, remote.wallMs, physical);
    if (wall !== previous && wall !== remote.wallMs) {
      this.wallMs = wall;
      this.counter = 0;
      return this.current();
    }

    if (wall === remote.wallMs) {
      this.counter = wall === previous ? Math.max(this.counter, remote.counter) : remote.counter;
    }
    this.wallMs = wall;
    this.bumpCounter();
    return this.current();
  }

  private bumpCounter(): void {
    // Past 0xffff the counter would widen the field and break text order, so the wall part
    // moves on by one millisecond instead.
    if (this.counter >= MAX_COUNTER) {
      this.wallMs += 1;
      this.counter = 0;
      return;
    }
    this.counter += 1;
  }

  private current(): string {
    return formatHlc({ wallMs: this.wallMs, counter: this.counter, node: this.node });
  }
}
