import type { UserView } from '@avior/contract';
import { ApiClient, type FetchFunction } from './api.ts';
import { loadDeviceClock, type DeviceClock } from './clock.ts';
import { createWorkerCompressor, type PhotoCompressor } from './compression.ts';
import { db as appDatabase, type AviorDatabase } from './db.ts';
import { renewSession } from './session.ts';
import { INITIAL_SYNC_STATE, type SessionState, type SyncState } from './state.ts';
import { Store } from './store.ts';

// Everything the data layer works with on one device: the database, the HTTP client, the clock,
// the in-memory state and the handles of running work. The app has one (getDevice); tests build
// their own with another database, a server on 127.0.0.1 and a shifted clock.

export type Logger = Pick<Console, 'info' | 'warn' | 'error'>;

/** The browser's WebSocket constructor, or a compatible one in tests. */
export type WebSocketConstructor = new (url: string) => WebSocket;

/**
 * The part of the Web Locks API (navigator.locks) the app uses to coordinate its tabs. With
 * `ifAvailable` the callback receives null when another holder has the lock.
 */
export interface LockRequester {
  request<T>(
    name: string,
    options: { readonly ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** Read access to settings, such as window.localStorage. */
export type SettingsReader = Pick<Storage, 'getItem'>;

export interface DeviceOptions {
  readonly db: AviorDatabase;
  /** Origin of the API; '' in the browser, where the app and the API share an origin. */
  readonly baseUrl?: string;
  readonly fetch?: FetchFunction;
  readonly WebSocket?: WebSocketConstructor | null;
  readonly compressor?: PhotoCompressor;
  readonly settings?: SettingsReader | null;
  /** Locks shared by the tabs of one browser; navigator.locks unless given, null without it. */
  readonly locks?: LockRequester | null;
  /** The device's own wall clock in Unix milliseconds (Date.now unless a test shifts it). */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly logger?: Logger;
  /** Changes per pull request (the server allows 1 to 1000). */
  readonly pullPageSize?: number;
}

export class Device {
  readonly db: AviorDatabase;
  readonly api: ApiClient;
  readonly session: Store<SessionState>;
  readonly sync = new Store<SyncState>(INITIAL_SYNC_STATE);
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  readonly compressor: PhotoCompressor;
  readonly settings: SettingsReader | null;
  readonly locks: LockRequester | null;
  readonly WebSocket: WebSocketConstructor | null;
  readonly pullPageSize: number;

  /** Ids of mutations inside a push request right now; edits never coalesce into them. */
  readonly inFlight = new Set<string>();
  /** Photos being compressed by this page, by id. */
  readonly preparing = new Set<string>();
  /** Running photo uploads by photo id. */
  readonly uploads = new Map<string, { abort(): void }>();
  /** Background work (timers, listeners, socket) while startBackgroundSync runs. */
  background: { stop(): void } | null = null;
  /** The renewal of the access token in progress, shared by every caller. */
  renewal: Promise<boolean> | null = null;
  tokenTimer: ReturnType<typeof setTimeout> | null = null;
  /** The download from the server in progress, shared by every caller. */
  refreshing: Promise<void> | null = null;

  private readonly localWriteListeners = new Set<() => void>();
  private clockLoad: Promise<DeviceClock> | null = null;
  private clockWork: Promise<unknown> = Promise.resolve();

  constructor(options: DeviceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? console;
    this.settings = options.settings === undefined ? readLocalStorage() : options.settings;
    this.locks = options.locks === undefined ? readLockManager() : options.locks;
    this.WebSocket =
      options.WebSocket === undefined ? (globalThis.WebSocket ?? null) : options.WebSocket;
    this.compressor = options.compressor ?? createWorkerCompressor(this.logger);
    this.pullPageSize = options.pullPageSize ?? 500;
    this.session = new Store<SessionState>({
      status: 'loading',
      user: null,
      online: isNavigatorOnline(),
      expired: false,
    });
    this.api = new ApiClient(
      options.baseUrl ?? '',
      options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      {
        renewAccessToken: () => renewSession(this),
        onResponse: (response, sentAt, receivedAt) =>
          this.observeResponse(response, sentAt, receivedAt),
        onNetworkFailure: () => this.session.update({ online: false }),
      },
      this.now,
    );
  }

  /** The device clock, after any correction from a server response has been stored. */
  async clock(): Promise<DeviceClock> {
    this.clockLoad ??= loadDeviceClock(this.db, this.now, this.random);
    await this.clockWork;
    return this.clockLoad;
  }

  get user(): UserView | null {
    return this.session.get().user;
  }

  onLocalWrite(listener: () => void): () => void {
    this.localWriteListeners.add(listener);
    return () => {
      this.localWriteListeners.delete(listener);
    };
  }

  notifyLocalWrite(): void {
    for (const listener of this.localWriteListeners) listener();
  }

  private observeResponse(response: Response, sentAt: number, receivedAt: number): void {
    this.session.update({ online: true });
    const date = response.headers.get('date');
    this.clockWork = this.clockWork
      .then(async () => {
        this.clockLoad ??= loadDeviceClock(this.db, this.now, this.random);
        const clock = await this.clockLoad;
        if (clock.observeServerDate(date, sentAt, receivedAt)) {
          await this.db.meta.put({ key: 'clockOffsetMs', value: clock.offset });
        }
      })
      .catch((error: unknown) => this.logger.warn('clock correction failed', error));
  }
}

let current: Device | null = null;

/** The device the app runs on, created on first use with the app's database. */
export function getDevice(): Device {
  current ??= new Device({ db: appDatabase });
  return current;
}

/** Replaces the current device; tests use it to point the data layer at their own. */
export function setDevice(device: Device): void {
  current?.background?.stop();
  current = device;
}

function isNavigatorOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function readLockManager(): LockRequester | null {
  // Older browsers and Node have no Web Locks API; some browsers lack it outside HTTPS.
  return typeof navigator === 'undefined' ? null : (navigator.locks ?? null);
}

function readLocalStorage(): SettingsReader | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Some browsers throw on access when storage is disabled for the site.
    return null;
  }
}

export { isNavigatorOnline };
