import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RealtimeHub } from '../../platform/realtime/realtime-hub.ts';
import { serveRealtimeSocket } from './notifications.socket.ts';

const USER_ID = '0190f000-0000-7000-8000-000000000001';

/** The parts of a ws socket the realtime handler uses, recording what it sends. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  readonly sent: string[] = [];
  closeCode: number | undefined;

  send(text: string): void {
    this.sent.push(text);
  }

  close(code?: number): void {
    this.closeCode = code;
    this.readyState = WebSocket.CLOSED;
    this.emit('close');
  }

  ping(): void {}

  terminate(): void {
    this.close();
  }

  messages(): unknown[] {
    return this.sent.map((text) => JSON.parse(text) as unknown);
  }
}

const silentLogger = { warn: () => {}, error: () => {} } as unknown as FastifyBaseLogger;

function serve(socket: FakeSocket, hub: RealtimeHub, countUnread: () => Promise<number>): void {
  serveRealtimeSocket(socket as unknown as WebSocket, {
    userId: USER_ID,
    countUnread,
    hub,
    logger: silentLogger,
  });
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('serveRealtimeSocket', () => {
  it('closes with 4001 when the access token expires', async () => {
    const socket = new FakeSocket();
    serveRealtimeSocket(socket as unknown as WebSocket, {
      userId: USER_ID,
      countUnread: async () => 0,
      hub: new RealtimeHub(),
      logger: silentLogger,
      expiresAt: Date.now() + 30,
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(socket.closeCode).toBe(4001);
  });

  it('greets with the unread count', async () => {
    const socket = new FakeSocket();
    serve(socket, new RealtimeHub(), async () => 3);
    await Promise.resolve();

    expect(socket.messages()).toEqual([{ type: 'hello', data: { userId: USER_ID, unread: 3 } }]);
  });

  it('sends the greeting before a push that came first', async () => {
    const socket = new FakeSocket();
    const hub = new RealtimeHub();
    const unread = deferred<number>();
    serve(socket, hub, () => unread.promise);

    hub.publish([USER_ID], { type: 'notification', data: { id: 'n1' } });
    unread.resolve(1);
    await unread.promise;
    await Promise.resolve();

    expect(socket.messages().map((message) => (message as { type: string }).type)).toEqual([
      'hello',
      'notification',
    ]);
  });

  it('answers a ping with a pong', async () => {
    const socket = new FakeSocket();
    serve(socket, new RealtimeHub(), async () => 0);
    await Promise.resolve();

    socket.emit('message', Buffer.from('{"type":"ping"}'), false);

    expect(socket.messages().at(-1)).toEqual({ type: 'pong' });
  });

  it.each([
    ['text that is not JSON', Buffer.from('ping'), false],
    ['another message type', Buffer.from('{"type":"subscribe"}'), false],
    ['a binary frame', Buffer.from('{"type":"ping"}'), true],
  ])('ignores %s', async (_case, raw, isBinary) => {
    const socket = new FakeSocket();
    serve(socket, new RealtimeHub(), async () => 0);
    await Promise.resolve();

    socket.emit('message', raw, isBinary);

    expect(socket.sent).toHaveLength(1);
  });

  it('leaves the hub on close', async () => {
    const socket = new FakeSocket();
    const hub = new RealtimeHub();
    serve(socket, hub, async () => 0);
    await Promise.resolve();

    socket.close();

    expect(hub.connectionCount).toBe(0);
  });

  it('closes with 1011 when the unread count fails', async () => {
    const socket = new FakeSocket();
    serve(socket, new RealtimeHub(), () => Promise.reject(new Error('database down')));
    await new Promise((resolve) => setImmediate(resolve));

    expect(socket.closeCode).toBe(1011);
  });
});
