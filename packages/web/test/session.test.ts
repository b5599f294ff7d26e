import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FetchFunction } from '../src/data/api.ts';
import type { Device } from '../src/data/device.ts';
import {
  ActionError,
  refreshFromServer,
  restoreSession,
  setAnswer,
  signIn,
  signOut,
  syncNow,
} from '../src/data/index.ts';
import { readMeta } from '../src/data/local-data.ts';
import * as session from '../src/data/session.ts';
import { createCookieFetch } from './support/cookie-fetch.ts';
import { createTestDevice } from './support/devices.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { seedSurvey } from './support/fixtures.ts';
import {
  DEMO_PASSWORD,
  INSPECTOR_EMAIL,
  MANAGER_EMAIL,
  createInspectorDevices,
  startServer,
  type RunningServer,
} from './support/server.ts';
import { TestLockManager } from './support/web-locks.ts';

let server: RunningServer;
let proxy: FaultProxy;
let proxyUrl: string;
// The server allows 20 sign-ins a minute from one address: tests that do not test signing in
// share one session.
const inspectorDevice = createInspectorDevices();

beforeAll(async () => {
  server = await startServer();
  proxy = new FaultProxy(server.baseUrl);
  proxyUrl = await proxy.start();
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

/** Signs in a new device as the inspector, with a cookie jar of its own. */
async function signedInDevice() {
  const cookies = createCookieFetch();
  const device = createTestDevice({ baseUrl: server.baseUrl, fetch: cookies });
  await signIn(INSPECTOR_EMAIL, DEMO_PASSWORD);
  return { device, cookies };
}

/** Opens the device again, as a reloaded page: same database and cookies, empty memory. */
function reopen(device: Device, fetch: FetchFunction, baseUrl?: string) {
  return createTestDevice({ db: device.db, baseUrl: baseUrl ?? server.baseUrl, fetch });
}

/**
 * Creates a cookie-keeping fetch whose network can be cut. Requests then fail as fetch does
 * offline.
 */
function switchableNetwork() {
  const cookies = createCookieFetch();
  const network = { down: false };
  const fetch: FetchFunction = (input, init) =>
    network.down ? Promise.reject(new TypeError('fetch failed')) : cookies(input, init);
  return { cookies, network, fetch };
}

/** Status of POST /v1/auth/refresh with a given refresh cookie, sent past the device. */
async function refreshStatus(baseUrl: string, token: string | undefined): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `avior_refresh=${token ?? ''}` },
    body: '{}',
  });
  return response.status;
}

describe('signIn', () => {
  it('keeps the user on the device and the token in memory only', async () => {
    const { device, cookies } = await signedInDevice();

    const stored = await readMeta<{ email: string }>(device.db, 'user');
    const metaValues = JSON.stringify(await device.db.meta.toArray());
    expect(stored?.email).toBe(INSPECTOR_EMAIL);
    expect(device.session.get()).toMatchObject({ status: 'signed_in', online: true });
    expect(device.api.accessToken).toBeTruthy();
    expect(metaValues).not.toContain(device.api.accessToken);
    expect(cookies.jar.has('avior_refresh')).toBe(true);
  });

  it('reports a wrong password on the password field', async () => {
    createTestDevice({ baseUrl: server.baseUrl });
    const error = await signIn(INSPECTOR_EMAIL, 'wrong-password').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).field).toBe('password');
  });

  it('reports an unreachable server in words', async () => {
    createTestDevice({ baseUrl: 'http://127.0.0.1:9' });

    await expect(signIn(INSPECTOR_EMAIL, DEMO_PASSWORD)).rejects.toMatchObject({
      code: 'offline',
    });
  });

  it('refuses another person while work waits, naming the count', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    const surveyId = await seedSurvey(device);
    await setAnswer(surveyId, 'door_clear', 'yes');
    await setAnswer(surveyId, 'valves_open', 'no');

    const error = await signIn(MANAGER_EMAIL, DEMO_PASSWORD).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).message).toMatch(/^2 changes are waiting to sync/);
    expect(await device.db.mutations.count()).toBe(2);
    expect(device.session.get().user?.email).toBe(INSPECTOR_EMAIL);
  });

  it('clears the device for another person when nothing waits', async () => {
    const { device } = await signedInDevice();
    await seedSurvey(device);
    await signIn(MANAGER_EMAIL, DEMO_PASSWORD);

    expect(await device.db.surveys.count()).toBe(0);
    expect((await readMeta<{ email: string }>(device.db, 'user'))?.email).toBe(MANAGER_EMAIL);
    expect(await readMeta(device.db, 'deviceId')).toMatch(/^web-/);
  });
});

describe('restoreSession', () => {
  it('renews the access token with the refresh cookie', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    device.api.accessToken = null;

    const state = await restoreSession();
    expect(state).toMatchObject({ status: 'signed_in', online: true, expired: false });
    expect(device.api.accessToken).toBeTruthy();
  });

  it('starts signed in and offline when the server cannot be reached', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    reopen(device, createCookieFetch(), 'http://127.0.0.1:9');

    const state = await restoreSession();
    expect(state).toMatchObject({ status: 'signed_in', online: false, expired: false });
    expect(state.user?.email).toBe(INSPECTOR_EMAIL);
  });

  it('marks the session expired when the server refuses the cookie', async () => {
    const { device, cookies } = await signedInDevice();
    const surveyId = await seedSurvey(device);
    await setAnswer(surveyId, 'door_clear', 'yes');
    cookies.jar.set('avior_refresh', { value: 'revoked-or-unknown-token', path: '/v1/auth' });
    const reopened = reopen(device, cookies);

    const state = await restoreSession();
    expect(state).toMatchObject({ status: 'signed_in', expired: true });

    await syncNow();
    expect(await reopened.db.mutations.count()).toBe(1);
    expect(reopened.sync.get().error).toMatch(/sign in again/);

    await signIn(INSPECTOR_EMAIL, DEMO_PASSWORD);
    expect(reopened.session.get().expired).toBe(false);
    expect(await reopened.db.answers.count()).toBe(1);
  });

  it('starts signed out on a device without a user', async () => {
    createTestDevice({ baseUrl: server.baseUrl });

    expect((await restoreSession()).status).toBe('signed_out');
  });
});

describe('access token', () => {
  it('renews once after a 401 and repeats the request', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    device.api.accessToken = 'not-a-valid-token';

    await refreshFromServer();
    expect(device.api.accessToken).not.toBe('not-a-valid-token');
    expect(await device.db.facilities.count()).toBeGreaterThan(0);
  });
});

describe('signOut', () => {
  it('refuses while work waits', async () => {
    const device = await inspectorDevice({ baseUrl: server.baseUrl });
    const surveyId = await seedSurvey(device);
    await setAnswer(surveyId, 'door_clear', 'yes');

    await expect(signOut()).rejects.toMatchObject({ code: 'work_waiting' });
    expect(device.session.get().status).toBe('signed_in');
  });

  it('with force clears the device and revokes the cookie', async () => {
    const { device, cookies } = await signedInDevice();
    const surveyId = await seedSurvey(device);
    await setAnswer(surveyId, 'door_clear', 'yes');
    await signOut({ force: true });

    expect(device.session.get().status).toBe('signed_out');
    expect(await device.db.mutations.count()).toBe(0);
    expect(await readMeta(device.db, 'user')).toBeNull();
    expect(cookies.jar.has('avior_refresh')).toBe(false);
  });
});

describe('renewal across tabs', () => {
  // Sign-ins are rate limited, so these tests share one session; the injected 401s never reach
  // the server and leave its cookie valid.
  let shared: Awaited<ReturnType<typeof signedInDevice>> | null = null;
  async function sharedDevice() {
    shared ??= await signedInDevice();
    return shared;
  }

  /** Tabs of one browser on the signed-in device: shared database, cookies and locks. */
  function openTabs(device: Device, fetch: FetchFunction, count: number, baseUrl?: string) {
    const locks = new TestLockManager();
    const tabs = Array.from({ length: count }, () =>
      createTestDevice({ db: device.db, baseUrl: baseUrl ?? server.baseUrl, fetch, locks }),
    );
    return { tabs, locks };
  }

  it('keeps two tabs starting together signed in', async () => {
    const { device, cookies } = await sharedDevice();
    const { tabs } = openTabs(device, cookies, 2);

    const states = await Promise.all(tabs.map((tab) => session.restoreSession(tab)));
    expect(states.map((state) => state.status)).toEqual(['signed_in', 'signed_in']);
    expect(states.map((state) => state.expired)).toEqual([false, false]);
  });

  it('refreshes once more after a 401 when it waited for another tab', async () => {
    const { device, cookies } = await sharedDevice();
    const { tabs, locks } = openTabs(device, cookies, 1, proxyUrl);
    proxy.log.length = 0;
    proxy.replyNext('POST', '/v1/auth/refresh', 401, { code: 'UNAUTHENTICATED', message: 'x' });
    const release = await locks.hold('avior-session-refresh');

    const restoring = session.restoreSession(tabs[0] as Device);
    await vi.waitFor(() => {
      expect(locks.waitersOf('avior-session-refresh')).toBe(1);
    });
    release();
    const state = await restoring;
    expect(state).toMatchObject({ status: 'signed_in', expired: false });
    expect(proxy.requestsTo('POST', '/v1/auth/refresh')).toHaveLength(2);
  });

  it('takes a 401 as final when the lock was free', async () => {
    const { device, cookies } = await sharedDevice();
    const { tabs } = openTabs(device, cookies, 1, proxyUrl);
    proxy.log.length = 0;
    proxy.replyNext('POST', '/v1/auth/refresh', 401, { code: 'UNAUTHENTICATED', message: 'x' });

    const state = await session.restoreSession(tabs[0] as Device);
    expect(state).toMatchObject({ status: 'signed_in', expired: true });
    expect(proxy.requestsTo('POST', '/v1/auth/refresh')).toHaveLength(1);
  });

  it('refreshes once more after a 401 without the Web Locks API', async () => {
    const { device, cookies } = await sharedDevice();
    reopen(device, cookies, proxyUrl);
    proxy.log.length = 0;
    proxy.replyNext('POST', '/v1/auth/refresh', 401, { code: 'UNAUTHENTICATED', message: 'x' });

    const state = await restoreSession();
    expect(state).toMatchObject({ status: 'signed_in', expired: false });
    expect(proxy.requestsTo('POST', '/v1/auth/refresh')).toHaveLength(2);
  });
});

describe('signOut without a network', () => {
  // A server of its own, because the sign-ins of the tests above use up the rate limit.
  let own: RunningServer;

  beforeAll(async () => {
    own = await startServer();
  }, 120_000);

  afterAll(async () => {
    await own?.stop();
  });

  async function signOutOffline() {
    const { cookies, network, fetch } = switchableNetwork();
    const device = createTestDevice({ baseUrl: own.baseUrl, fetch });
    await signIn(INSPECTOR_EMAIL, DEMO_PASSWORD);
    const token = cookies.jar.get('avior_refresh')?.value;
    network.down = true;
    await signOut();
    return { device, cookies, network, fetch, token };
  }

  it('stays signed out after a reload and revokes the cookie', async () => {
    const { device, network, fetch, token } = await signOutOffline();
    expect(device.session.get().status).toBe('signed_out');
    expect(await readMeta(device.db, 'signOutPending')).toBe(true);

    network.down = false;
    const reopened = reopen(device, fetch, own.baseUrl);
    const state = await restoreSession();
    expect(state.status).toBe('signed_out');
    expect(await readMeta(reopened.db, 'user')).toBeNull();
    expect(await readMeta(reopened.db, 'signOutPending')).toBeNull();
    expect(await refreshStatus(own.baseUrl, token)).toBe(401);
  });

  it('revokes the cookie when the browser goes online', async () => {
    const browserWindow = new EventTarget();
    vi.stubGlobal('window', browserWindow);
    try {
      const { device, network, token } = await signOutOffline();
      network.down = false;
      browserWindow.dispatchEvent(new Event('online'));

      await vi.waitFor(async () => {
        expect(await readMeta(device.db, 'signOutPending')).toBeNull();
      });
      expect(await refreshStatus(own.baseUrl, token)).toBe(401);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('stays signed out offline and is forgotten by the next sign-in', async () => {
    const { device, network, fetch } = await signOutOffline();
    reopen(device, fetch, own.baseUrl);
    const offline = await restoreSession();
    expect(offline.status).toBe('signed_out');
    expect(await readMeta(device.db, 'signOutPending')).toBe(true);

    network.down = false;
    await signIn(INSPECTOR_EMAIL, DEMO_PASSWORD);
    expect(await readMeta(device.db, 'signOutPending')).toBeNull();

    reopen(device, fetch, own.baseUrl);
    const state = await restoreSession();
    expect(state).toMatchObject({ status: 'signed_in', expired: false });
  });
});
