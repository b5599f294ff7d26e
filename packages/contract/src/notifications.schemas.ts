import { Type, type Static } from 'typebox';
import { Uuid } from './common.schemas.ts';
import type { NotificationKind as NotificationKindName } from './events.ts';

export const NOTIFICATION_KINDS = [
  'survey.assigned',
  'photo.processed',
  'photo.failed',
  'report.ready',
  'item.flagged',
] as const satisfies readonly NotificationKindName[];
export const NotificationKindSchema = Type.Enum(NOTIFICATION_KINDS);

/** Facts a client needs to open what a notification is about, such as `surveyId`. */
export const NotificationData = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Null()]),
);
export type NotificationData = Static<typeof NotificationData>;

export const NotificationView = Type.Object({
  id: Uuid,
  kind: NotificationKindSchema,
  title: Type.String(),
  body: Type.String(),
  data: NotificationData,
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type NotificationView = Static<typeof NotificationView>;

export const NotificationQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'true lists only unread notifications' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type NotificationQuery = Static<typeof NotificationQuery>;

export const RealtimeQuery = Type.Object({
  access_token: Type.String({
    minLength: 1,
    description: 'Access token; browsers cannot set headers on a WebSocket request',
  }),
});

/**
 * Messages the server pushes over `GET /v1/ws`. A client may send `{ "type": "ping" }` and
 * receives `{ "type": "pong" }`.
 */
export const RealtimeServerMessage = Type.Union([
  Type.Object({
    type: Type.Literal('hello'),
    data: Type.Object({ userId: Uuid, unread: Type.Integer({ minimum: 0 }) }),
  }),
  Type.Object({ type: Type.Literal('notification'), data: NotificationView }),
  Type.Object({ type: Type.Literal('pong') }),
]);
export type RealtimeServerMessage = Static<typeof RealtimeServerMessage>;
