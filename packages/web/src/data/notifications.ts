import type { NotificationView, RealtimeServerMessage } from '@avior/contract';
import type { Device } from './device.ts';
import { isNavigatorOnline } from './device.ts';
import {
  fetchNotifications,
  fetchReport,
  refreshFromServer,
  sendRead,
  storeReport,
} from './refresh.ts';
import { unrefTimer } from './session.ts';

// Live notifications over the WebSocket /v1/ws. Browsers cannot set headers on a WebSocket, so
// the access token goes in the access_token query parameter. The server closes the socket with
// 4001 when that token expires; the client renews the token and reconnects at once. Any other
// close reconnects after an exponential delay with jitter (1 s up to 60 s). Each greeting
// ('hello') triggers a download of the latest notifications, which fills what the socket
// missed while it was closed. Notifications are stored in db.notifications; screens read them
// there.

const CLOSE_TOKEN_EXPIRED = 4001;
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 60_000;

export interface NotificationSocket {
  /** Reconnects now if the socket is closed, e.g. when the network comes back. */
  reconnectNow(): void;
  stop(): void;
}

/** Opens the notification socket and keeps it open until stop(). */
export function connectNotifications(device: Device): NotificationSocket {
  const WebSocketClass = device.WebSocket;
  let socket: WebSocket | null = null;
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const scheduleReconnect = () => {
    clearTimeout(timer);
    if (stopped || !isNavigatorOnline()) return;

    const step = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** failures);
    failures += 1;
    timer = setTimeout(() => void connect(), step / 2 + (device.random() * step) / 2);
    unrefTimer(timer);
  };

  const connect = async () => {
    if (stopped || socket || !WebSocketClass) return;

    let token: string;
    try {
      token = await device.api.currentToken();
    } catch {
      scheduleReconnect();
      return;
    }
    if (stopped || socket) return;

    const opened = new WebSocketClass(toSocketUrl(device.api.url('/v1/ws'), token));
    socket = opened;
    opened.onmessage = (event: MessageEvent) => {
      failures = 0;
      void handleMessage(device, String(event.data));
    };
    opened.onclose = (event: CloseEvent) => {
      if (socket === opened) socket = null;
      if (stopped) return;
      if (event.code === CLOSE_TOKEN_EXPIRED && failures === 0) {
        failures += 1;
        device.api.accessToken = null;
        void connect();
        return;
      }
      scheduleReconnect();
    };
  };

  void connect();
  return {
    reconnectNow() {
      clearTimeout(timer);
      failures = 0;
      void connect();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.close(1000, 'signed out');
      socket = null;
    },
  };
}

/** ws: or wss: address of a path, with the access token as a query parameter. */
export function toSocketUrl(httpUrl: string, token: string): string {
  const base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
  const url = new URL(httpUrl, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('access_token', token);
  return url.toString();
}

async function handleMessage(device: Device, text: string): Promise<void> {
  let message: RealtimeServerMessage;
  try {
    message = JSON.parse(text) as RealtimeServerMessage;
  } catch {
    device.logger.warn('notification socket sent a message that is not JSON');
    return;
  }

  try {
    if (message.type === 'hello') await fetchNotifications(device);
    if (message.type === 'notification') await storeNotification(device, message.data);
  } catch (error) {
    device.logger.warn('notification handling failed', error);
  }
}

/** Stores a pushed notification and refreshes what it announces. */
async function storeNotification(device: Device, notification: NotificationView): Promise<void> {
  await device.db.notifications.put(notification);
  const surveyId = notification.data.surveyId;
  if (typeof surveyId !== 'string') return;

  if (notification.kind === 'report.ready') {
    await storeReport(device, surveyId, await fetchReport(device, surveyId));
  }
  if (notification.kind === 'survey.assigned') await refreshFromServer(device);
}

/** Marks a notification read on the device at once and on the server when it can be reached. */
export async function markNotificationRead(device: Device, id: string): Promise<void> {
  const readAt = new Date(device.now()).toISOString();
  const updated = await device.db.notifications.update(id, { readAt });
  if (updated === 0) return;

  const view = await sendRead(device, id);
  if (view) await device.db.notifications.put(view);
}
