import type { NotificationView } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { db, markNotificationRead, useSession } from '../../data/index.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { errorMessage, formatTimeAgo, usesManagerScreens } from '../format.ts';
import { Link } from '../router.tsx';

/** Renders the notifications on this device, newest first, each with a button to mark it read. */
export function NotificationsScreen() {
  const { user } = useSession();
  const notifications = useLiveQuery(
    () => db.notifications.orderBy('createdAt').reverse().toArray(),
    [],
  );
  const [error, setError] = useState<string | null>(null);
  const manager = user ? usesManagerScreens(user.role) : false;
  const unread = notifications?.filter((item) => !item.readAt) ?? [];

  const markRead = async (ids: readonly string[]) => {
    setError(null);
    try {
      await Promise.all(ids.map((id) => markNotificationRead(id)));
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };

  return (
    <section className="screen" aria-labelledby="notifications-title">
      <div className="screen__head">
        <h1 id="notifications-title">Notifications</h1>
        {unread.length > 0 ? (
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="mark-all-read"
            onClick={() => void markRead(unread.map((item) => item.id))}
          >
            Mark all as read
          </button>
        ) : null}
      </div>
      {error ? <ErrorMessage>Could not mark as read: {error}</ErrorMessage> : null}
      {notifications ? null : <Skeleton rows={4} label="Loading notifications" />}
      {notifications?.length === 0 ? <EmptyState title="No notifications yet" /> : null}
      <ul className="list">
        {notifications?.map((item) => (
          <NotificationItem
            key={item.id}
            notification={item}
            surveyPath={manager ? '/manage/surveys/' : '/surveys/'}
            onRead={(id) => void markRead([id])}
          />
        ))}
      </ul>
    </section>
  );
}

interface NotificationItemProps {
  notification: NotificationView;
  /** Path prefix of the survey screen for this person's role. */
  surveyPath: string;
  onRead: (id: string) => void;
}

function NotificationItem({ notification, surveyPath, onRead }: NotificationItemProps) {
  const unread = !notification.readAt;
  const surveyId = notification.data['surveyId'];

  return (
    <li
      className={`card notification${unread ? ' notification--unread' : ''}`}
      data-testid="notification-item"
      data-notification-id={notification.id}
      data-read={!unread}
    >
      <div className="notification__text">
        <strong className="notification__title">
          {unread ? <span className="visually-hidden">Unread: </span> : null}
          {notification.title}
        </strong>
        <span>{notification.body}</span>
        <span className="muted">{formatTimeAgo(notification.createdAt)}</span>
      </div>
      <div className="button-row">
        {typeof surveyId === 'string' ? (
          <Link
            to={`${surveyPath}${surveyId}`}
            className="button button--secondary button--small"
            onClick={() => unread && onRead(notification.id)}
          >
            Open survey
          </Link>
        ) : null}
        {unread ? (
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="mark-read"
            onClick={() => onRead(notification.id)}
          >
            Mark as read
          </button>
        ) : null}
      </div>
    </li>
  );
}
