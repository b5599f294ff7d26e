import type { NotificationView } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { db } from '../../data/index.ts';

interface Toast {
  id: string;
  title: string;
  body: string;
}

const TOAST_LIFETIME_MS = 8000;
const MAX_TOASTS = 3;
const WATCHED_NOTIFICATIONS = 50;
// Slack for the time between the server creating a notification and the app opening.
const ARRIVAL_SLACK_MS = 5000;

function toToast(notification: NotificationView): Toast {
  return { id: notification.id, title: notification.title, body: notification.body };
}

/**
 * Turns notifications created while the app is open into toasts. Older ones that a download
 * brings (the first sign-in on a device) are not shown. More than a few at once become one
 * summary toast.
 */
function toastsForArrivals(arrived: readonly NotificationView[], openedAt: number): Toast[] {
  const unread = arrived.filter(
    (item) => !item.readAt && Date.parse(item.createdAt) >= openedAt - ARRIVAL_SLACK_MS,
  );
  if (unread.length <= MAX_TOASTS) {
    return unread.map(toToast);
  }

  return [
    {
      id: `summary-${unread[0]?.id ?? ''}`,
      title: `${unread.length} new notifications`,
      body: 'Open Notifications to read them.',
    },
  ];
}

/** Renders toasts for notifications arriving in the device database, announced politely. */
export function NotificationToasts() {
  const latest = useLiveQuery(
    () => db.notifications.orderBy('createdAt').reverse().limit(WATCHED_NOTIFICATIONS).toArray(),
    [],
  );
  const clockOffset = useLiveQuery(async () => (await db.meta.get('clockOffsetMs'))?.value, []);
  const seen = useRef<Set<string> | null>(null);
  const [openedAt] = useState(() => Date.now());
  const [toasts, setToasts] = useState<Toast[]>([]);

  useEffect(() => {
    if (!latest) {
      return;
    }

    if (!seen.current) {
      seen.current = new Set(latest.map((item) => item.id));
      return;
    }

    const known = seen.current;
    const arrived = latest.filter((item) => !known.has(item.id));
    for (const item of arrived) {
      known.add(item.id);
    }

    // Notification times are server times; the offset puts the opening time on that clock.
    const offset = typeof clockOffset === 'number' ? clockOffset : 0;
    const fresh = toastsForArrivals(arrived, openedAt + offset);
    if (fresh.length > 0) {
      setToasts((shown) => [...fresh, ...shown].slice(0, MAX_TOASTS));
    }
  }, [latest, clockOffset, openedAt]);

  const dismiss = useCallback((id: string) => {
    setToasts((shown) => shown.filter((toast) => toast.id !== id));
  }, []);

  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <ToastCard key={toast.id} toast={toast} onDismiss={dismiss} />
      ))}
    </div>
  );
}

function ToastCard({ toast, onDismiss }: { toast: Toast; onDismiss: (id: string) => void }) {
  useEffect(() => {
    const timer = window.setTimeout(() => onDismiss(toast.id), TOAST_LIFETIME_MS);
    return () => window.clearTimeout(timer);
  }, [toast.id, onDismiss]);

  return (
    <div className="toast" data-testid="notification-toast">
      <div className="toast__content">
        <strong className="toast__title">{toast.title}</strong>
        <span className="toast__body">{toast.body}</span>
      </div>
      <button
        type="button"
        className="toast__close"
        aria-label={`Dismiss ${toast.title}`}
        onClick={() => onDismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}
