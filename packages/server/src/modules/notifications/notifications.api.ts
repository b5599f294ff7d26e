import type { NotificationKind } from '@avior/contract';
import type { Kysely } from 'kysely';
import { appendEvent } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import { listManagerIds } from './notifications.repository.ts';

/** A notification another module asks to send. */
export interface NotificationRequest {
  readonly userIds: readonly string[];
  readonly kind: NotificationKind;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, string | number | null>>;
}

/**
 * Appends a notifications.send event in the caller's transaction, so the notification is sent
 * if and only if the caller's change commits. Users of other organisations are dropped on
 * delivery. Returns the event id, or null when there is no recipient.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await markPhotoFailed(trx, mediaId);
 *   await notify(trx, orgId, {
 *     userIds: [uploaderId],
 *     kind: 'photo.failed',
 *     title: 'Photo rejected',
 *     body: 'IMG_0042.jpg is not a readable image',
 *     data: { mediaId, surveyId },
 *   });
 * });
 * platform.notifyCommitted();
 */
export async function notify(
  trx: Kysely<Database>,
  orgId: string,
  notification: NotificationRequest,
): Promise<string | null> {
  if (notification.userIds.length === 0) {
    return null;
  }

  return appendEvent(trx, {
    topic: 'notifications.send',
    orgId,
    payload: {
      userIds: [...notification.userIds],
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      data: { ...notification.data },
    },
  });
}

/**
 * Returns the ids of the managers and admins of an organisation, the usual recipients of news
 * about its surveys.
 *
 * @example
 * const userIds = [inspectorId, ...(await managersOf(trx, orgId))];
 */
export function managersOf(trx: Kysely<Database>, orgId: string): Promise<string[]> {
  return listManagerIds(trx, orgId);
}
