import type { SessionView } from '@avior/contract';
import { DEMO_ORG_SLUG, DEMO_PASSWORD } from '../src/seed/demo-seed.ts';

/** A signed-in demo user of a running Avior. */
export interface ApiSession {
  readonly baseUrl: string;
  readonly token: string;
  readonly userId: string;
  readonly orgId: string;
}

/** Signs in as the demo organisation's user of `role`. */
export async function signInAs(
  baseUrl: string,
  role: 'manager' | 'inspector',
): Promise<ApiSession> {
  const session = await callApi<SessionView>({ baseUrl, token: '' }, 'POST', '/v1/auth/login', {
    email: `${role}@${DEMO_ORG_SLUG}.example`,
    password: DEMO_PASSWORD,
  });
  return {
    baseUrl,
    token: session.accessToken,
    userId: session.user.id,
    orgId: session.user.orgId,
  };
}

/** Sends a JSON request and returns the JSON response; raises an error on any status but 2xx. */
export async function callApi<T>(
  session: Pick<ApiSession, 'baseUrl' | 'token'>,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';

  const response = await fetch(`${session.baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    const text = await response.text();
    throw new Error(`${method} ${path} failed with HTTP ${response.status}: ${text.slice(0, 300)}`);
  }

  return (await response.json()) as T;
}
