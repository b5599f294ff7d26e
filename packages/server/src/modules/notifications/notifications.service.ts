import type { NotificationKind, NotificationQuery, NotificationView } from '@avior/contract';
import type { Principal } from '../../gateway/auth.ts';
import { notFound } from '../../platform/errors/error-catalogue.ts';
import type { RealtimeMessage } from '../../platform/realtime/realtime-hub.ts';
import type {
  NotificationContent,
  NotificationRow,
  NotificationsRepository,
} from './notifications.repository.ts';

/** Sends a message to the open connections of each user; the realtime hub implements it. */
export interface RealtimePublisher {
  publish(userIds: readonly string[], message: RealtimeMessage): void;
}

const DEFAULT_LIST_LIMIT = 50;

/** Stores notifications, pushes them to connected users and serves a user's own. */
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * Stores one notification per recipient of `orgId` and pushes each stored one to its
   * recipient. A second call with the same `eventId` stores and pushes nothing, so a redelivered
   * event is harmless. Returns the number stored.
   *
   * @example
   * await notifications.deliver(ctx.eventId, orgId, [inspectorId], {
   *   kind: 'report.ready', title: 'Report ready', body: 'Boiler house', data: { surveyId },
   * });
   */
  async deliver(
    eventId: string,
    orgId: string,
    userIds: readonly string[],
    content: NotificationContent,
  ): Promise<number> {
    const stored = await this.repository.insertForEvent(eventId, orgId, userIds, content);
    for (const row of stored) {
      this.realtime.publish([row.user_id], { type: 'notification', data: toNotificationView(row) });
    }

    return stored.length;
  }

  async list(principal: Principal, query: NotificationQuery): Promise<NotificationView[]> {
    const rows = await this.repository.listForUser(principal.orgId, principal.userId, {
      unreadOnly: query.unread === true,
      limit: query.limit ?? DEFAULT_LIST_LIMIT,
    });

    return rows.map(toNotificationView);
  }

  /** Marks the caller's own notification read, raising NOT_FOUND for anyone else's. */
  async markRead(principal: Principal, id: string): Promise<NotificationView> {
    const row = await this.repository.markRead(principal.orgId, principal.userId, id);
    if (!row) {
      throw notFound('Notification', id);
    }

    return toNotificationView(row);
  }

  countUnread(principal: Principal): Promise<number> {
    return this.repository.countUnread(principal.orgId, principal.userId);
  }
}

export function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    title: row.title,
    body: row.body,
    data: row.data as NotificationView['data'],
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at ? row.read_at.toISOString() : null,
  };
}
