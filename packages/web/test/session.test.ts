import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { createCookieFetch } from './support/cookie-fetch.ts';
import { createTestDevice } from './support/devices.ts';
import { seedSurvey } from './support/fixtures.ts';
import {
  DEMO_PASSWORD,
  INSPECTOR_EMAIL,
  MANAGER_EMAIL,
  createInspectorDevices,
  startServer,
  type RunningServer,
} from './support/server.ts';

let server: RunningServer;
// The server allows 20 sign-ins a minute from one address: tests that do not test signing in
// share one session.
const inspectorDevice = createInspectorDevices();

beforeAll(async () => {
  server = await startServer();
}, 120_000);

afterAll(async () => {
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
function reopen(device: Device, fetch: ReturnType<typeof createCookieFetch>, baseUrl?: string) {
  return createTestDevice({ db: device.db, baseUrl: baseUrl ?? server.baseUrl, fetch });
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
