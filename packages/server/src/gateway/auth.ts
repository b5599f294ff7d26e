import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/error-catalogue.ts';

const WEBSOCKET_PATH = '/v1/ws';

export type Role = 'admin' | 'manager' | 'inspector' | 'viewer';

/** The caller of a request, taken from a verified access token. */
export interface Principal {
  readonly userId: string;
  readonly orgId: string;
  readonly role: Role;
  /** When the access token stops being valid (Unix milliseconds); long-lived sockets close then. */
  readonly tokenExpiresAt?: number;
}

interface AccessTokenClaims {
  readonly sub: string;
  readonly org: string;
  readonly role: Role;
  /** Expiry in Unix seconds, set when the token is signed. */
  readonly exp?: number;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export function installAuth(
  app: FastifyInstance,
  secret: string,
  accessTokenTtlSeconds: number,
): void {
  void app.register(fastifyJwt, {
    secret,
    sign: { expiresIn: accessTokenTtlSeconds, algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('principal', null as unknown as Principal);

  // The rate limiter appends its hook to each route's onRequest list, after `authenticate`, so a
  // request with a bad token would be refused before it is counted. Moving `authenticate` last
  // makes every request count, valid or not.
  app.addHook('onRoute', (route) => {
    const hooks = route.onRequest;
    if (!Array.isArray(hooks) || !hooks.includes(authenticate)) return;

    route.onRequest = [...hooks.filter((hook) => hook !== authenticate), authenticate];
  });
}

export function signAccessToken(app: FastifyInstance, principal: Principal): string {
  return app.jwt.sign({ sub: principal.userId, org: principal.orgId, role: principal.role });
}

/** Verifies a bearer token (header, or `access_token` query for WebSocket clients). */
export async function authenticate(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  // Browsers cannot set headers on a WebSocket, so that route alone takes the token in the query.
  const queryToken = request.url.startsWith(WEBSOCKET_PATH)
    ? (request.query as Record<string, unknown> | undefined)?.access_token
    : undefined;
  if (!header && typeof queryToken !== 'string') {
    throw new AppError('UNAUTHENTICATED', {
      reason: 'send an access token as "Authorization: Bearer <token>"',
    });
  }

  try {
    const claims =
      header !== undefined
        ? await request.jwtVerify<AccessTokenClaims>()
        : request.server.jwt.verify<AccessTokenClaims>(queryToken as string);
    request.principal = {
      userId: claims.sub,
      orgId: claims.org,
      role: claims.role,
      ...(claims.exp ? { tokenExpiresAt: claims.exp * 1000 } : {}),
    };
  } catch (error) {
    const expired =
      (error as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' ||
      (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
    throw new AppError('UNAUTHENTICATED', {
      reason: expired ? 'the access token has expired; refresh it' : 'the access token is invalid',
    });
  }
}

/** Raises FORBIDDEN unless the caller has one of `roles`. */
export function requireRole(principal: Principal, roles: readonly Role[], action: string): void {
  if (!roles.includes(principal.role))
    throw new AppError('FORBIDDEN', { role: principal.role, action });
}
