import { HlcError, HybridLogicalClock, parseHlc } from '@avior/contract';
import type { AviorDatabase } from './db.ts';

// The device's clock for sync stamps. Answers merge last-writer-wins by hybrid logical clock
// (HLC) stamp, so a device whose wall clock is hours off would win or lose every merge by
// mistake, and the server rejects stamps more than 24 h ahead of its own clock. The device
// therefore measures the server's time from the HTTP Date header of every response, keeps the
// difference in meta 'clockOffsetMs', and stamps with its own time plus that offset.

// The Date header has one-second resolution (RFC 9110, section 6.6.1) and the round trip adds
// its own error, so smaller differences are noise.
const OFFSET_TOLERANCE_MS = 2_000;
// A response slower than this measures the server's moment too roughly to use.
const MAX_MEASURABLE_ROUND_TRIP_MS = 10_000;
// A stored stamp further ahead of the corrected time than this came from a wrong wall clock.
const MAX_STAMP_LEAD_MS = 60_000;

export class DeviceClock {
  private hlc: HybridLogicalClock;

  constructor(
    /** Node id in every stamp and the deviceId of pushes, e.g. web-3f9a0c2e7d5b4a18. */
    readonly deviceId: string,
    private offsetMs: number,
    private readonly deviceNow: () => number,
    lastStamp: string | null,
  ) {
    this.hlc = this.buildHlc(lastStamp);
  }

  /** Server time as the device estimates it, in Unix milliseconds. */
  now(): number {
    return this.deviceNow() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Returns a stamp later than every stamp this clock issued or received. */
  tick(): string {
    return this.hlc.tick();
  }

  /** Merges a stamp from the server; returns false when it was malformed or too far ahead. */
  receive(stamp: string): boolean {
    try {
      this.hlc.receive(stamp);
      return true;
    } catch (error) {
      if (error instanceof HlcError) return false;
      throw error;
    }
  }

  /**
   * Measures the server's clock from a response's Date header. Returns true when the offset
   * changed; the HLC is then rebuilt so that stamps issued with the wrong wall clock (ahead of
   * the corrected time) do not hold every later stamp in the future.
   */
  observeServerDate(dateHeader: string | null, sentAtMs: number, receivedAtMs: number): boolean {
    const serverMs = dateHeader ? Date.parse(dateHeader) : Number.NaN;
    if (Number.isNaN(serverMs) || receivedAtMs - sentAtMs > MAX_MEASURABLE_ROUND_TRIP_MS) {
      return false;
    }

    // The header truncates to the second, so the server's moment lies half a second later on
    // average; the device's moment is taken as the middle of the round trip.
    const measured = Math.round(serverMs + 500 - (sentAtMs + receivedAtMs) / 2);
    if (Math.abs(measured - this.offsetMs) <= OFFSET_TOLERANCE_MS) return false;

    const last = this.hlc.tick();
    this.offsetMs = measured;
    this.hlc = this.buildHlc(last);
    return true;
  }

  private buildHlc(lastStamp: string | null): HybridLogicalClock {
    const clock = new HybridLogicalClock(this.deviceId, { now: () => this.now() });
    if (lastStamp && parseHlc(lastStamp).wallMs <= this.now() + MAX_STAMP_LEAD_MS) {
      this.tryReceive(clock, lastStamp);
    }
    return clock;
  }

  private tryReceive(clock: HybridLogicalClock, stamp: string): void {
    try {
      clock.receive(stamp);
    } catch (error) {
      if (!(error instanceof HlcError)) throw error;
    }
  }
}

/** Creates a device id: 'web-' and 16 random hex digits. */
export function createDeviceId(random: () => number = Math.random): string {
  let digits = '';
  for (let index = 0; index < 16; index += 1) {
    digits += Math.floor(random() * 16).toString(16);
  }
  return `web-${digits}`;
}

/** Reads the device id, clock offset and last stamp from meta, creating the device id once. */
export async function loadDeviceClock(
  db: AviorDatabase,
  deviceNow: () => number,
  random: () => number,
): Promise<DeviceClock> {
  return db.transaction('rw', db.meta, async () => {
    const [deviceEntry, offsetEntry, hlcEntry] = await db.meta.bulkGet([
      'deviceId',
      'clockOffsetMs',
      'hlc',
    ]);
    let deviceId = typeof deviceEntry?.value === 'string' ? deviceEntry.value : null;
    if (!deviceId) {
      deviceId = createDeviceId(random);
      await db.meta.put({ key: 'deviceId', value: deviceId });
    }

    const offset = typeof offsetEntry?.value === 'number' ? offsetEntry.value : 0;
    const last = typeof hlcEntry?.value === 'string' ? hlcEntry.value : null;
    return new DeviceClock(deviceId, offset, deviceNow, safeStamp(last));
  });
}

function safeStamp(stamp: string | null): string | null {
  if (!stamp) return null;
  try {
    parseHlc(stamp);
    return stamp;
  } catch {
    return null;
  }
}
