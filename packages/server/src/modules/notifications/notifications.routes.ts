import {
  ErrorBody,
  IdParams,
  NotificationQuery,
  NotificationView,
  RealtimeQuery,
} from '@avior/contract';
import { Type } from 'typebox';
import type { App } from '../../gateway/app-types.ts';
import { authenticate } from '../../gateway/auth.ts';
import type { RealtimeHub } from '../../platform/realtime/realtime-hub.ts';
import type { NotificationsService } from './notifications.service.ts';
import { serveRealtimeSocket } from './notifications.socket.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

export function registerNotificationsRoutes(
  app: App,
  notifications: NotificationsService,
  hub: RealtimeHub,
): void {
  app.get(
    '/v1/notifications',
    {
      onRequest: authenticate,
      schema: {
        tags: ['notifications'],
        summary: "The caller's notifications, newest first",
        querystring: NotificationQuery,
        response: { 200: Type.Array(NotificationView), ...errors },
      },
    },
    async (request) => notifications.list(request.principal, request.query),
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      onRequest: authenticate,
      schema: {
        tags: ['notifications'],
        summary: "Mark one of the caller's notifications read",
        params: IdParams,
        response: { 200: NotificationView, ...errors },
      },
    },
    async (request) => notifications.markRead(request.principal, request.params.id),
  );

  app.get(
    '/v1/ws',
    {
      websocket: true,
      onRequest: authenticate,
      schema: {
        tags: ['notifications'],
        summary: 'WebSocket of pushed notifications',
        description:
          'Send the access token as the access_token query parameter. The server greets with ' +
          '{"type":"hello","data":{"userId","unread"}}, pushes {"type":"notification","data"} ' +
          'and answers {"type":"ping"} with {"type":"pong"}. An invalid token is rejected with ' +
          '401 before the upgrade.',
        querystring: Type.Partial(RealtimeQuery),
        response: { 401: ErrorBody },
      },
    },
    (socket, request) => {
      const principal = request.principal;
      serveRealtimeSocket(socket, {
        userId: principal.userId,
        countUnread: () => notifications.countUnread(principal),
        hub,
        logger: request.log,
        ...(principal.tokenExpiresAt ? { expiresAt: principal.tokenExpiresAt } : {}),
      });
    },
  );
}
