import type { SessionView, UserView } from '@avior/contract';
import type { Device } from './device.ts';
import { isNavigatorOnline } from './device.ts';
import { ActionError, ApiError, NetworkError, SessionExpiredError } from './errors.ts';
import { clearLocalData, countWaitingWork, readMeta } from './local-data.ts';
import {
  clearPendingSignOut,
  finishPendingSignOut,
  hasPendingSignOut,
  rememberPendingSignOut,
  revokeSession,
} from './pending-sign-out.ts';
import type { SessionState } from './state.ts';

// Sign-in state of the device. The user record is kept in meta 'user', so the app starts signed
// in and works on local data without a network. The access token is kept in memory and renewed
// through the refresh cookie a minute before it expires and after any 401. When the server
// rejects the refresh cookie, the person stays signed in for local work but `expired` is set
// and nothing is sent until they sign in again. Tabs of one browser share the cookie, which the
// server rotates on every refresh, so they take turns through the Web Locks API.

/** The server's login response when the refresh token goes into a cookie. */
type CookieSession = Omit<SessionView, 'refreshToken'> & { refreshToken?: string };

// Renew this long before the access token expires, so a slow request never carries a dead one.
const RENEW_LEAD_MS = 60_000;
const MIN_RENEW_DELAY_MS = 10_000;
const RENEW_RETRY_MS = 30_000;
const RESTORE_TIMEOUT_MS = 8_000;
const REFRESH_LOCK = 'avior-session-refresh';

/** Restores the saved session at start: the refresh cookie when online, device data when not. */
export async function restoreSession(device: Device): Promise<SessionState> {
  if (await hasPendingSignOut(device)) return restoreSignedOut(device);

  const stored = await readMeta<UserView>(device.db, 'user');
  device.sync.update({ lastSyncedAt: await readMeta<string>(device.db, 'lastSyncedAt') });
  if (stored) device.session.update({ status: 'signed_in', user: stored, expired: false });
  if (!isNavigatorOnline()) {
    device.session.update({ online: false });
    return finishRestore(device);
  }

  try {
    await withTimeout(renewSession(device), RESTORE_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof NetworkError || error instanceof ApiError)) throw error;
    // Unreachable or failing server: keep working on the device; the next request retries.
    device.session.update({ online: false });
  }
  return finishRestore(device);
}

/** Starts signed out after an offline sign-out, revoking the cookie it left behind. */
async function restoreSignedOut(device: Device): Promise<SessionState> {
  const online = isNavigatorOnline();
  device.session.update({ status: 'signed_out', user: null, expired: false, online });
  if (online) await finishPendingSignOut(device);
  return device.session.get();
}

function finishRestore(device: Device): SessionState {
  if (device.session.get().status === 'loading') {
    device.session.update({ status: 'signed_out', user: null, expired: false });
  }
  return device.session.get();
}

/**
 * Signs in with email and password. The same person keeps the device's data. Another person is
 * rejected while work of the previous one waits to sync; without waiting work the device's data
 * is cleared first.
 */
export async function signIn(device: Device, email: string, password: string): Promise<UserView> {
  const stored = await readMeta<UserView>(device.db, 'user');
  if (stored && !sameEmail(stored.email, email)) await assertNoWaitingWork(device, stored);

  const session = await login(device, email.trim(), password);
  if (stored && stored.id !== session.user.id) {
    await assertNoWaitingWork(device, stored, () => revokeSession(device));
    await clearLocalData(device.db);
  }

  await clearPendingSignOut(device);
  await acceptSession(device, session);
  return session.user;
}

/**
 * Signs out: rejects while work waits unless `force`, revokes the cookie, clears the device.
 * Without a network the revocation waits, and no session is restored from the cookie meanwhile.
 */
export async function signOut(device: Device, options: { force?: boolean } = {}): Promise<void> {
  const waiting = await countWaitingWork(device.db);
  if (waiting > 0 && !options.force) {
    throw new ActionError(
      'work_waiting',
      `${describeCount(waiting)} waiting to sync: sync first, or sign out anyway to discard ` +
        'them',
    );
  }

  device.background?.stop();
  for (const upload of device.uploads.values()) upload.abort();
  const revoked = await revokeSession(device);
  forgetToken(device);
  await clearLocalData(device.db);
  if (!revoked) await rememberPendingSignOut(device);
  device.session.update({ status: 'signed_out', user: null, expired: false });
}

/**
 * Gets a new access token with the refresh cookie. Resolves false when the server refused the
 * cookie (the session is then marked expired); throws NetworkError when it was not reached.
 * Concurrent callers share one request, because the server rotates the cookie on every use.
 * Resolves false without a request while a sign-out waits to reach the server.
 */
export function renewSession(device: Device): Promise<boolean> {
  device.renewal ??= requestRenewal(device).finally(() => {
    device.renewal = null;
  });
  return device.renewal;
}

async function requestRenewal(device: Device): Promise<boolean> {
  if (await hasPendingSignOut(device)) return false;

  const session = await refreshAcrossTabs(device);
  if (!session) {
    markExpired(device);
    return false;
  }

  const stored = await readMeta<UserView>(device.db, 'user');
  if (stored && stored.id !== session.user.id) {
    // The cookie belongs to someone else than the device's data (another tab signed in).
    if ((await countWaitingWork(device.db)) > 0) {
      markExpired(device);
      return false;
    }
    await clearLocalData(device.db);
  }
  await acceptSession(device, session);
  return true;
}

/**
 * Refreshes while holding the browser-wide lock, so tabs never send the same cookie together.
 * A tab that had to wait may see a 401 although another tab renewed the cookie meanwhile, so it
 * tries once more. Without the Web Locks API a tab cannot tell, so it always tries once more.
 * Resolves null when the server refused the cookie.
 */
async function refreshAcrossTabs(device: Device): Promise<CookieSession | null> {
  const { locks } = device;
  if (!locks) return refreshTwiceOn401(device);

  const immediate = await locks.request(REFRESH_LOCK, { ifAvailable: true }, async (lock) =>
    lock ? { session: await postRefresh(device) } : null,
  );
  if (immediate) return immediate.session;
  return locks.request(REFRESH_LOCK, {}, () => refreshTwiceOn401(device));
}

async function refreshTwiceOn401(device: Device): Promise<CookieSession | null> {
  return (await postRefresh(device)) ?? postRefresh(device);
}

async function postRefresh(device: Device): Promise<CookieSession | null> {
  try {
    return await device.api.post<CookieSession>('/v1/auth/refresh', {}, { auth: false });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

async function login(device: Device, email: string, password: string): Promise<CookieSession> {
  try {
    return await device.api.post<CookieSession>(
      '/v1/auth/login',
      { email, password, refreshTokenIn: 'cookie' },
      { auth: false },
    );
  } catch (error) {
    throw toSignInError(error);
  }
}

function toSignInError(error: unknown): unknown {
  if (error instanceof NetworkError) {
    return new ActionError(
      'offline',
      'Signing in needs the server, which cannot be reached: check the network and try again',
    );
  }
  if (!(error instanceof ApiError)) return error;
  if (error.status === 401) return new ActionError(error.code, error.message, 'password');
  if (error.status === 400) return new ActionError(error.code, error.message, 'email');
  return new ActionError(error.code, error.message);
}

async function acceptSession(device: Device, session: CookieSession): Promise<void> {
  device.api.accessToken = session.accessToken;
  await device.db.meta.put({ key: 'user', value: session.user });
  device.session.update({ status: 'signed_in', user: session.user, expired: false, online: true });
  scheduleRenewal(device, session.accessTokenExpiresIn * 1000);
}

function scheduleRenewal(device: Device, expiresInMs: number): void {
  clearRenewal(device);
  const delay = Math.max(MIN_RENEW_DELAY_MS, expiresInMs - RENEW_LEAD_MS);
  device.tokenTimer = setTimeout(() => {
    device.tokenTimer = null;
    renewSession(device).catch((error: unknown) => {
      if (!(error instanceof NetworkError || error instanceof ApiError)) {
        device.logger.error('session renewal failed', error);
      }
      // Offline or a failing server: try again later; a 401 on any request also renews.
      scheduleRenewal(device, RENEW_RETRY_MS + RENEW_LEAD_MS);
    });
  }, delay);
  unrefTimer(device.tokenTimer);
}

function clearRenewal(device: Device): void {
  if (device.tokenTimer) clearTimeout(device.tokenTimer);
  device.tokenTimer = null;
}

function markExpired(device: Device): void {
  forgetToken(device);
  if (device.session.get().status === 'signed_in') {
    device.session.update({ expired: true, online: true });
  }
}

function forgetToken(device: Device): void {
  device.api.accessToken = null;
  clearRenewal(device);
}

async function assertNoWaitingWork(
  device: Device,
  previous: UserView,
  beforeThrow?: () => Promise<unknown>,
): Promise<void> {
  const waiting = await countWaitingWork(device.db);
  if (waiting === 0) return;

  await beforeThrow?.();
  throw new ActionError(
    'work_waiting',
    `${describeCount(waiting)} waiting to sync for ${previous.name} on this device: sign in ` +
      `as ${previous.email} to send them first`,
    'email',
  );
}

function describeCount(count: number): string {
  return count === 1 ? '1 change is' : `${count} changes are`;
}

function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Throws SessionExpiredError unless the device may talk to the server as its user. */
export function assertSessionUsable(device: Device): void {
  const state = device.session.get();
  if (state.status !== 'signed_in' || state.expired) throw new SessionExpiredError();
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new NetworkError(`the server did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** Lets Node exit while a timer waits; browsers return a number and need nothing. */
export function unrefTimer(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
    (timer as { unref(): void }).unref();
  }
}
