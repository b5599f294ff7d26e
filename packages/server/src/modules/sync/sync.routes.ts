import { Type } from 'typebox';
import {
  ConflictQuery,
  ErrorBody,
  IdParams,
  ResolveConflictBody,
  SyncConflictView,
  SyncPullQuery,
  SyncPullResult,
  SyncPushBody,
  SyncPushResult,
} from '@avior/contract';
import type { App } from '../../gateway/app-types.ts';
import { authenticate } from '../../gateway/auth.ts';
import type { SyncService } from './sync.service.ts';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};

export function registerSyncRoutes(app: App, sync: SyncService): void {
  app.post(
    '/v1/sync/push',
    {
      onRequest: authenticate,
      schema: {
        tags: ['sync'],
        summary: 'Apply a batch of offline mutations; each returns its own result',
        body: SyncPushBody,
        response: { 200: SyncPushResult, ...errors },
      },
    },
    async (request) => sync.push(request.principal, request.body),
  );

  app.get(
    '/v1/sync/pull',
    {
      onRequest: authenticate,
      schema: {
        tags: ['sync'],
        summary: 'Changes after a server cursor, oldest first',
        querystring: SyncPullQuery,
        response: { 200: SyncPullResult, ...errors },
      },
    },
    async (request) => sync.pull(request.principal, request.query),
  );

  app.get(
    '/v1/sync/conflicts',
    {
      onRequest: authenticate,
      schema: {
        tags: ['sync'],
        summary: 'Values that lost a last-writer-wins merge, newest first, one page at a time',
        querystring: ConflictQuery,
        response: { 200: Type.Array(SyncConflictView), ...errors },
      },
    },
    async (request) => sync.conflicts(request.principal, request.query),
  );

  app.post(
    '/v1/sync/conflicts/:id/resolve',
    {
      onRequest: authenticate,
      schema: {
        tags: ['sync'],
        summary: 'Resolve a conflict by applying one side or a new value',
        params: IdParams,
        body: ResolveConflictBody,
        response: { 200: SyncConflictView, ...errors },
      },
    },
    async (request) => sync.resolve(request.principal, request.params.id, request.body),
  );
}
