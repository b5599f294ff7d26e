import { REFRESH_COOKIE_NAME, type RefreshTokenDelivery, type SessionView } from '@avior/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';

// Browsers keep the refresh token in an httpOnly cookie that scripts cannot read, scoped to the
// auth routes and sent only by same-site requests. The access token stays in the page's
// memory. Other clients receive the refresh token in the response body.

const COOKIE_PATH = '/v1/auth';

/** The refresh token a request carries: the body's when present, else the cookie's. */
export function readRefreshToken(
  request: FastifyRequest,
  fromBody: string | undefined,
): { token: string; delivery: RefreshTokenDelivery } | undefined {
  if (fromBody !== undefined) return { token: fromBody, delivery: 'body' };
  const fromCookie = request.cookies[REFRESH_COOKIE_NAME];
  return fromCookie ? { token: fromCookie, delivery: 'cookie' } : undefined;
}

/** Hands a new session to the client, moving the refresh token into the cookie when asked. */
export function deliverSession(
  request: FastifyRequest,
  reply: FastifyReply,
  session: SessionView,
  delivery: RefreshTokenDelivery,
): SessionView {
  if (delivery === 'body') return session;

  const { refreshToken, ...rest } = session;
  reply.setCookie(REFRESH_COOKIE_NAME, refreshToken ?? '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: COOKIE_PATH,
    expires: new Date(session.refreshTokenExpiresAt),
  });
  return rest;
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE_NAME, {
    httpOnly: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
  });
}
