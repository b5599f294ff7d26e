import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

const login = (email: string, password: string) =>
  t.request('POST', '/v1/auth/login', { body: { email, password } });

describe('POST /v1/auth/login', () => {
  it('returns tokens and the user for a valid password', async () => {
    const response = await login(t.demo.users.inspector.email, DEMO_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json().user.role).toBe('inspector');
    expect(response.json().refreshToken).toMatch(/^[\w-]{40,}$/);
  });

  it('accepts the email in any letter case', async () => {
    const response = await login(t.demo.users.inspector.email.toUpperCase(), DEMO_PASSWORD);
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['a wrong password', 'inspector', 'wrong-password'],
    ['an unknown email', 'nobody', DEMO_PASSWORD],
  ])('rejects %s with 401', async (_case, local, password) => {
    const response = await login(`${local}@northwind.example`, password);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
  });

  it.each([
    [{ password: 'x' }, 'body.email'],
    [{ email: 'a@b.example' }, 'body.password'],
    [{ email: 42, password: 'x' }, 'body.email'],
    [{ email: 'not-an-email', password: 'x' }, 'body.email'],
    [{ email: 'a@b.example', password: 'x', admin: true }, 'body.admin'],
  ])('rejects %j naming %s', async (body, field) => {
    const response = await t.request('POST', '/v1/auth/login', { body });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(response.json().message).toContain(field);
  });
});

describe('POST /v1/auth/refresh', () => {
  it('rotates the refresh token', async () => {
    const first = (await login(t.demo.users.manager.email, DEMO_PASSWORD)).json();
    const second = await t.request('POST', '/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json().refreshToken).not.toBe(first.refreshToken);
  });

  it('rejects a refresh token used twice', async () => {
    const session = (await login(t.demo.users.manager.email, DEMO_PASSWORD)).json();
    await t.request('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
    const reuse = await t.request('POST', '/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(reuse.statusCode).toBe(401);
  });

  it('rejects a refresh token after logout', async () => {
    const session = (await login(t.demo.users.viewer.email, DEMO_PASSWORD)).json();
    const logout = await t.request('POST', '/v1/auth/logout', {
      body: { refreshToken: session.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    const refresh = await t.request('POST', '/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });
});

describe('access tokens', () => {
  it('identify the caller on /v1/me', async () => {
    const response = await t.request('GET', '/v1/me', { token: t.tokens.viewer });
    expect(response.json().email).toBe(t.demo.users.viewer.email);
  });

  it.each([
    ['no token', undefined],
    ['a malformed token', 'not-a-jwt'],
    [
      'a token signed with another key',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwib3JnIjoieSIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJl',
    ],
  ])('are required: %s gets 401', async (_case, token) => {
    const response = await t.request('GET', '/v1/me', token ? { token } : {});
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });
});

describe('users', () => {
  it('can be created by an admin', async () => {
    const response = await t.request('POST', '/v1/users', {
      token: t.tokens.admin,
      body: {
        email: 'new.inspector@northwind.example',
        name: 'New Inspector',
        role: 'inspector',
        password: 'a-long-password',
      },
    });
    expect(response.statusCode).toBe(201);
  });

  it('cannot be created by a manager', async () => {
    const response = await t.request('POST', '/v1/users', {
      token: t.tokens.manager,
      body: {
        email: 'other@northwind.example',
        name: 'Other',
        role: 'viewer',
        password: 'a-long-password',
      },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
  });

  it('reject a taken email with 409', async () => {
    const response = await t.request('POST', '/v1/users', {
      token: t.tokens.admin,
      body: {
        email: t.demo.users.viewer.email,
        name: 'Copy',
        role: 'viewer',
        password: 'a-long-password',
      },
    });
    expect(response.statusCode).toBe(409);
  });

  it('are listed only within the organisation', async () => {
    const response = await t.request('GET', '/v1/users', { token: t.otherTokens.admin });
    const emails = response.json().map((user: { email: string }) => user.email);
    expect(emails).not.toContain(t.demo.users.viewer.email);
  });
});
