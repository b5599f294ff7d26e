import { REFRESH_COOKIE_NAME } from '@avior/contract';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

function refreshCookie(response: LightMyRequestResponse) {
  return response.cookies.find((cookie) => cookie.name === REFRESH_COOKIE_NAME);
}

async function signInWithCookie() {
  const response = await t.request('POST', '/v1/auth/login', {
    body: {
      email: t.demo.users.inspector.email,
      password: DEMO_PASSWORD,
      refreshTokenIn: 'cookie',
    },
  });
  expect(response.statusCode).toBe(200);
  const cookie = refreshCookie(response);
  if (!cookie) throw new Error('sign-in set no refresh cookie');
  return { response, cookie };
}

const withCookie = (value: string) => ({ cookie: `${REFRESH_COOKIE_NAME}=${value}` });

describe('browser sessions with the refresh token in a cookie', () => {
  it('sets an httpOnly, same-site cookie scoped to the auth routes and leaves the token out of the body', async () => {
    const { response, cookie } = await signInWithCookie();
    expect(response.json().refreshToken).toBeUndefined();
    expect(response.json().accessToken).toEqual(expect.any(String));
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1/auth' });
    expect(cookie.value).toMatch(/^[\w-]{40,}$/);
    expect(new Date(cookie.expires ?? 0).getTime()).toBeGreaterThan(Date.now());
  });

  it('refreshes from the cookie, rotates it, and refuses the old one', async () => {
    const { cookie } = await signInWithCookie();
    const refreshed = await t.request('POST', '/v1/auth/refresh', {
      body: {},
      headers: withCookie(cookie.value),
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().refreshToken).toBeUndefined();
    const rotated = refreshCookie(refreshed);
    expect(rotated?.value).toBeDefined();
    expect(rotated?.value).not.toBe(cookie.value);

    const me = await t.request('GET', '/v1/me', { token: refreshed.json().accessToken });
    expect(me.json().email).toBe(t.demo.users.inspector.email);

    const reused = await t.request('POST', '/v1/auth/refresh', {
      body: {},
      headers: withCookie(cookie.value),
    });
    expect(reused.statusCode).toBe(401);
    // Two tabs may refresh at once, and the loser must not clear the winner's new cookie.
    expect(refreshCookie(reused)).toBeUndefined();
  });

  it('answers 401 naming both ways to send the token when neither body nor cookie has one', async () => {
    const response = await t.request('POST', '/v1/auth/refresh', { body: {} });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
    expect(response.json().message).toContain('refreshToken in the body');
  });

  it('rejects an unknown delivery with 400 naming the field', async () => {
    const response = await t.request('POST', '/v1/auth/login', {
      body: { email: t.demo.users.inspector.email, password: DEMO_PASSWORD, refreshTokenIn: 'url' },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain('refreshTokenIn');
  });

  it('signs out by revoking and clearing the cookie', async () => {
    const { cookie } = await signInWithCookie();
    const out = await t.request('POST', '/v1/auth/logout', {
      body: {},
      headers: withCookie(cookie.value),
    });
    expect(out.statusCode).toBe(204);
    expect(refreshCookie(out)?.value).toBe('');

    const after = await t.request('POST', '/v1/auth/refresh', {
      body: {},
      headers: withCookie(cookie.value),
    });
    expect(after.statusCode).toBe(401);
  });

  it('keeps returning the refresh token in the body for API clients', async () => {
    const login = await t.request('POST', '/v1/auth/login', {
      body: { email: t.demo.users.inspector.email, password: DEMO_PASSWORD },
    });
    expect(refreshCookie(login)).toBeUndefined();
    const refreshed = await t.request('POST', '/v1/auth/refresh', {
      body: { refreshToken: login.json().refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().refreshToken).toEqual(expect.any(String));
    expect(refreshCookie(refreshed)).toBeUndefined();
  });
});
