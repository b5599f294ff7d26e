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
import type { AccountsService } from './accounts.service.ts';

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
    async (request) => accounts.login(request.body.email, request.body.password),
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new session',
        security: [],
        body: RefreshBody,
        response: { 200: SessionView, ...errors },
      },
    },
    async (request) => accounts.refresh(request.body.refreshToken),
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke a refresh token',
        security: [],
        body: RefreshBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await accounts.logout(request.body.refreshToken);
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
