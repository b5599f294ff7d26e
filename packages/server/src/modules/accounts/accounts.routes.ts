import { Type } from 'typebox';
import {
  CreateUserBody,
  ErrorBody,
  LoginBody,
  RefreshBody,
  SessionView,
  UserView,
} from '@avior/contract';
import type { App } from '../../gateway/app-types.ts';
import { authenticate, requireRole } from '../../gateway/auth.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import type { AccountsService } from './accounts.service.ts';
import { clearSessionCookie, deliverSession, readRefreshToken } from './session-cookie.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody };

export function registerAccountsRoutes(app: App, accounts: AccountsService): void {
  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        security: [],
        body: LoginBody,
        response: { 200: SessionView, ...errors },
      },
      config: { rateLimit: { max: 20, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const session = await accounts.login(request.body.email, request.body.password);
      return deliverSession(request, reply, session, request.body.refreshTokenIn ?? 'body');
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new session',
        description:
          'Send the refresh token in the body, or send {} and the refresh cookie set at sign-in. The new refresh token comes back the same way, and the old one stops working.',
        security: [],
        body: RefreshBody,
        response: { 200: SessionView, ...errors },
      },
    },
    async (request, reply) => {
      const presented = readRefreshToken(request, request.body.refreshToken);
      if (!presented) {
        throw new AppError('UNAUTHENTICATED', {
          reason: 'send refreshToken in the body, or sign in again to get a refresh cookie',
        });
      }
      // A refused cookie is left alone: when two tabs refresh at once, the loser's cookie was
      // already replaced by the winner's, and clearing it would sign both tabs out.
      const session = await accounts.refresh(presented.token);
      return deliverSession(request, reply, session, presented.delivery);
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke a refresh token',
        description: 'Revokes the token in the body, or the refresh cookie when the body is {}.',
        security: [],
        body: RefreshBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const presented = readRefreshToken(request, request.body.refreshToken);
      if (presented) await accounts.logout(presented.token);
      if (presented?.delivery === 'cookie') clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      onRequest: authenticate,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: UserView, ...errors },
      },
    },
    async (request) => accounts.getUser(request.principal),
  );

  app.get(
    '/v1/users',
    {
      onRequest: authenticate,
      schema: {
        tags: ['users'],
        summary: 'Users of the organisation',
        response: { 200: Type.Array(UserView), ...errors },
      },
    },
    async (request) => {
      requireRole(request.principal, ['admin', 'manager'], 'list users');
      return accounts.listUsers(request.principal.orgId);
    },
  );

  app.post(
    '/v1/users',
    {
      onRequest: authenticate,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: UserView, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request.principal, ['admin'], 'create users');
      const user = await accounts.createUser(request.principal.orgId, request.body);
      return reply.status(201).send(user);
    },
  );
}
