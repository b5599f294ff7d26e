import type { FetchFunction } from '../../src/data/api.ts';
import type { PhotoCompressor } from '../../src/data/compression.ts';
import { AviorDatabase } from '../../src/data/db.ts';
import {
  Device,
  setDevice,
  type LockRequester,
  type Logger,
  type SettingsReader,
} from '../../src/data/device.ts';
import { createCookieFetch } from './cookie-fetch.ts';

// Devices for tests: each has its own IndexedDB database (fake-indexeddb), its own cookie jar
// and, when asked, a wall clock shifted from the real one.

let created = 0;

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Keeps the original bytes, as the app does when the browser cannot decode a photo. */
export const keepOriginal: PhotoCompressor = { compress: () => Promise.resolve(null) };

export interface TestDeviceOptions {
  /** An existing database, to open the same device again. */
  readonly db?: AviorDatabase;
  readonly baseUrl?: string;
  /** Milliseconds added to the real clock; the device's clock is that far off. */
  readonly clockSkewMs?: () => number;
  readonly fetch?: FetchFunction;
  readonly settings?: SettingsReader | null;
  readonly compressor?: PhotoCompressor;
  readonly random?: () => number;
  readonly pullPageSize?: number;
  readonly WebSocket?: new (url: string) => WebSocket;
  /** Locks shared with other devices, as tabs of one browser share navigator.locks. */
  readonly locks?: LockRequester | null;
}

/** Creates a device with a fresh database and makes it the one index.ts uses. */
export function createTestDevice(options: TestDeviceOptions = {}): Device {
  created += 1;
  const skew = options.clockSkewMs ?? (() => 0);
  const device = new Device({
    db: options.db ?? new AviorDatabase(`avior-test-${process.pid}-${created}`),
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:9',
    fetch: options.fetch ?? createCookieFetch(),
    WebSocket: options.WebSocket ?? null,
    compressor: options.compressor ?? keepOriginal,
    settings: options.settings ?? null,
    locks: options.locks ?? null,
    now: () => Date.now() + skew(),
    random: options.random ?? Math.random,
    logger: silentLogger,
    ...(options.pullPageSize ? { pullPageSize: options.pullPageSize } : {}),
  });
  setDevice(device);
  return device;
}

/** Settings as localStorage would return them. */
export function settingsOf(values: Record<string, string>): SettingsReader {
  return { getItem: (key) => values[key] ?? null };
}
