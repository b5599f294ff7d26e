import type { FastifyBaseLogger } from 'fastify';
import WebSocket from 'ws';
import type { RealtimeConnection, RealtimeHub } from '../../platform/realtime/realtime-hub.ts';

/** The connected user and the way to count their unread notifications for the greeting. */
export interface SocketSession {
  readonly userId: string;
  readonly countUnread: () => Promise<number>;
  readonly hub: Pick<RealtimeHub, 'add'>;
  readonly logger: FastifyBaseLogger;
  /** When the access token the socket opened with expires (Unix milliseconds). */
  readonly expiresAt?: number;
}

// Proxies and NAT gateways drop idle TCP connections after a minute or so, and a peer that
// vanished never sends a close frame, so the server pings and drops sockets that stop answering.
const HEARTBEAT_INTERVAL_MS = 30_000;

// RFC 6455, section 7.4.1: 1011 means the server hit an unexpected condition.
const CLOSE_INTERNAL_ERROR = 1011;

// RFC 6455, section 7.4.2 leaves 4000-4999 to applications; this one tells the client to
// refresh its session and reconnect.
const CLOSE_TOKEN_EXPIRED = 4001;

/**
 * Serves one authenticated WebSocket: registers it with the hub, greets it with
 * `{ type: 'hello', data: { userId, unread } }`, answers `{ type: 'ping' }` with
 * `{ type: 'pong' }` and unregisters it on close. Messages pushed before the greeting is sent
 * wait in a queue, so the greeting is always the first message.
 */
export function serveRealtimeSocket(socket: WebSocket, session: SocketSession): void {
  const connection = new GreetedConnection(socket);
  const unregister = session.hub.add(session.userId, connection);
  const stopHeartbeat = startHeartbeat(socket);
  // The token is checked once, at the upgrade, so the socket ends when the token would.
  const expiry = session.expiresAt
    ? setTimeout(
        () => socket.close(CLOSE_TOKEN_EXPIRED, 'access token expired'),
        Math.max(0, session.expiresAt - Date.now()),
      )
    : undefined;

  socket.on('message', (raw, isBinary) => answerClientMessage(socket, raw, isBinary));
  socket.on('error', (error) => {
    session.logger.warn({ err: error, userId: session.userId }, 'realtime socket failed');
  });
  socket.on('close', () => {
    unregister();
    stopHeartbeat();
    clearTimeout(expiry);
  });

  void greet(connection, socket, session);
}

async function greet(
  connection: GreetedConnection,
  socket: WebSocket,
  session: SocketSession,
): Promise<void> {
  try {
    const unread = await session.countUnread();
    const hello = { type: 'hello', data: { userId: session.userId, unread } };
    connection.open(JSON.stringify(hello));
  } catch (error) {
    session.logger.error({ err: error, userId: session.userId }, 'realtime greeting failed');
    socket.close(CLOSE_INTERNAL_ERROR, 'greeting failed');
  }
}

// Other message types are ignored so that newer clients can talk to older servers.
function answerClientMessage(socket: WebSocket, raw: WebSocket.RawData, isBinary: boolean): void {
  if (isBinary) {
    return;
  }

  if (readMessageType(raw.toString()) === 'ping') {
    sendIfOpen(socket, JSON.stringify({ type: 'pong' }));
  }
}

function readMessageType(text: string): unknown {
  try {
    const message: unknown = JSON.parse(text);
    return typeof message === 'object' && message !== null && 'type' in message
      ? message.type
      : undefined;
  } catch {
    return undefined;
  }
}

function startHeartbeat(socket: WebSocket): () => void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });

  const timer = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }

    alive = false;
    socket.ping();
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();

  return () => clearInterval(timer);
}

function sendIfOpen(socket: WebSocket, text: string): void {
  if (socket.readyState === WebSocket.OPEN) {
    socket.send(text);
  }
}

/** A hub connection that queues pushed messages until the greeting has been sent. */
class GreetedConnection implements RealtimeConnection {
  private queue: string[] | null = [];

  constructor(private readonly socket: WebSocket) {}

  send(text: string): void {
    if (this.queue) {
      this.queue.push(text);
      return;
    }

    sendIfOpen(this.socket, text);
  }

  open(greeting: string): void {
    const waiting = this.queue ?? [];
    this.queue = null;
    for (const text of [greeting, ...waiting]) {
      sendIfOpen(this.socket, text);
    }
  }
}
