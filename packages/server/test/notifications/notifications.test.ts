import type { AddressInfo } from 'node:net';
import type { EventPayloads, NotificationView } from '@avior/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createNotificationsModule } from '../../src/modules/notifications/notifications.module.ts';
import { appendEvent, getEvent } from '../../src/platform/bus/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let wsBaseUrl: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as AddressInfo;
  wsBaseUrl = `ws://127.0.0.1:${address.port}/v1/ws`;
});
afterAll(() => t.stop());

type SendPayload = EventPayloads['notifications.send'];

async function sendNotification(orgId: string, payload: SendPayload): Promise<string> {
  const { db } = t.running.platform;
  const eventId = await db
    .transaction()
    .execute((trx) => appendEvent(trx, { topic: 'notifications.send', orgId, payload }));
  t.running.platform.notifyCommitted();
  return eventId;
}

function payloadFor(userIds: readonly string[], title: string): SendPayload {
  return { userIds, kind: 'item.flagged', title, body: `${title} body`, data: { count: 1 } };
}

async function countStored(eventId: string): Promise<number> {
  const rows = await t.running.platform.db
    .selectFrom('notifications')
    .select('user_id')
    .where('event_id', '=', eventId)
    .execute();
  return rows.length;
}

async function listFor(token: string, query = ''): Promise<NotificationView[]> {
  const response = await t.request('GET', `/v1/notifications${query}`, { token });
  expect(response.statusCode).toBe(200);
  return response.json<NotificationView[]>();
}

async function notificationTitled(token: string, title: string): Promise<NotificationView> {
  const found = (await listFor(token, '?limit=200')).find((item) => item.title === title);
  if (!found) throw new Error(`no notification titled "${title}"`);
  return found;
}

describe('notifications.deliver', () => {
  let eventId: string;

  beforeAll(async () => {
    const { demo, other } = t;
    eventId = await sendNotification(
      demo.orgId,
      payloadFor(
        [
          demo.users.inspector.id,
          demo.users.manager.id,
          demo.users.manager.id,
          other.users.admin.id,
          'not-a-uuid',
        ],
        'Delivery fan-out',
      ),
    );
    await t.drainBus();
  });

  it('stores one row per user of the organisation', async () => {
    expect(await countStored(eventId)).toBe(2);
  });

  it('drops users of another organisation', async () => {
    const titles = (await listFor(t.otherTokens.admin)).map((item) => item.title);
    expect(titles).not.toContain('Delivery fan-out');
  });

  it('stores nothing when the event is delivered again', async () => {
    const event = await getEvent(t.running.platform.db, eventId);
    const group = createNotificationsModule(t.running.platform).consumers?.find(
      (candidate) => candidate.name === 'notifications.deliver',
    );
    if (!event || !group || group.topic !== 'notifications.send') throw new Error('setup failed');

    const logger = t.running.platform.logger;
    const ctx = { eventId, attempt: 2, group: group.name, logger };
    const outcome = await group.handle(event as Parameters<typeof group.handle>[0], ctx);

    expect([outcome, await countStored(eventId)]).toEqual(['skipped', 2]);
  });
});

describe('GET /v1/notifications', () => {
  beforeAll(async () => {
    const { demo } = t;
    await sendNotification(demo.orgId, payloadFor([demo.users.viewer.id], 'First for viewer'));
    await t.drainBus();
    await sendNotification(demo.orgId, payloadFor([demo.users.viewer.id], 'Second for viewer'));
    await sendNotification(demo.orgId, payloadFor([demo.users.admin.id], 'Only for admin'));
    await t.drainBus();
  });

  it('lists own notifications newest first', async () => {
    const titles = (await listFor(t.tokens.viewer)).map((item) => item.title);
    expect(titles).toEqual(['Second for viewer', 'First for viewer']);
  });

  it('honours the limit', async () => {
    expect(await listFor(t.tokens.viewer, '?limit=1')).toHaveLength(1);
  });

  it('returns the stored fields', async () => {
    const [latest] = await listFor(t.tokens.viewer, '?limit=1');
    expect(latest).toMatchObject({
      kind: 'item.flagged',
      title: 'Second for viewer',
      body: 'Second for viewer body',
      data: { count: 1 },
      readAt: null,
    });
  });

  it('rejects a limit above 200', async () => {
    const response = await t.request('GET', '/v1/notifications?limit=201', {
      token: t.tokens.viewer,
    });
    expect(response.statusCode).toBe(400);
  });

  it('requires an access token', async () => {
    const response = await t.request('GET', '/v1/notifications');
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /v1/notifications/:id/read', () => {
  let target: NotificationView;

  beforeAll(async () => {
    await sendNotification(t.demo.orgId, payloadFor([t.demo.users.admin.id], 'Read me'));
    await t.drainBus();
    target = await notificationTitled(t.tokens.admin, 'Read me');
  });

  it('answers 404 for another user', async () => {
    const response = await t.request('POST', `/v1/notifications/${target.id}/read`, {
      token: t.tokens.manager,
    });
    expect(response.statusCode).toBe(404);
  });

  it('answers 404 to another organisation', async () => {
    const response = await t.request('POST', `/v1/notifications/${target.id}/read`, {
      token: t.otherTokens.admin,
    });
    expect(response.statusCode).toBe(404);
  });

  it('marks an own notification read', async () => {
    const response = await t.request('POST', `/v1/notifications/${target.id}/read`, {
      token: t.tokens.admin,
    });
    expect(response.json<NotificationView>().readAt).not.toBeNull();
  });

  it('keeps the first read time', async () => {
    const first = await notificationTitled(t.tokens.admin, 'Read me');
    const again = await t.request('POST', `/v1/notifications/${target.id}/read`, {
      token: t.tokens.admin,
    });
    expect(again.json<NotificationView>().readAt).toBe(first.readAt);
  });

  it('drops a read notification from the unread list', async () => {
    const unread = await listFor(t.tokens.admin, '?unread=true&limit=200');
    expect(unread.map((item) => item.id)).not.toContain(target.id);
  });
});

describe('notifications.survey-assigned', () => {
  it('tells the inspector about a new survey', async () => {
    const created = await t.request('POST', '/v1/surveys', {
      token: t.tokens.manager,
      body: {
        facilityId: t.demo.facilityIds[0],
        templateId: t.demo.templateId,
        inspectorId: t.demo.users.inspector.id,
        dueDate: '2031-05-17',
      },
    });
    expect(created.statusCode).toBe(201);
    const surveyId = created.json<{ id: string }>().id;
    await t.drainBus();

    const assigned = (await listFor(t.tokens.inspector, '?limit=200')).find(
      (item) => item.kind === 'survey.assigned' && item.data.surveyId === surveyId,
    );
    expect(assigned).toMatchObject({
      title: 'New inspection assigned',
      body: expect.stringMatching(/, due 17 May 2031$/),
    });
  });
});

/** A WebSocket client that keeps every message it receives. */
class RealtimeClient {
  readonly messages: { type: string; data?: unknown }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.messages.push(JSON.parse(raw.toString()) as { type: string; data?: unknown });
    });
  }

  static async connect(token: string): Promise<RealtimeClient> {
    const socket = new WebSocket(`${wsBaseUrl}?access_token=${encodeURIComponent(token)}`);
    const client = new RealtimeClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  async waitFor(type: string, match: (data: unknown) => boolean = () => true) {
    return vi.waitFor(
      () => {
        const found = this.messages.find((message) => message.type === type && match(message.data));
        if (!found) throw new Error(`no ${type} message yet`);
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

function rejectedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', () => undefined);
  });
}

describe('GET /v1/ws', () => {
  it('greets with the user id and unread count', async () => {
    const unread = (await listFor(t.tokens.viewer, '?unread=true&limit=200')).length;
    const client = await RealtimeClient.connect(t.tokens.viewer);
    const hello = await client.waitFor('hello');
    await client.close();

    expect(hello.data).toEqual({ userId: t.demo.users.viewer.id, unread });
  });

  it('pushes a stored notification', async () => {
    const client = await RealtimeClient.connect(t.tokens.inspector);
    await client.waitFor('hello');

    await sendNotification(t.demo.orgId, payloadFor([t.demo.users.inspector.id], 'Pushed live'));
    const pushed = await client.waitFor(
      'notification',
      (data) => (data as NotificationView).title === 'Pushed live',
    );
    await client.close();

    expect(pushed.data).toMatchObject({ kind: 'item.flagged', body: 'Pushed live body' });
  });

  it('pushes nothing to another user', async () => {
    const client = await RealtimeClient.connect(t.tokens.viewer);
    await client.waitFor('hello');

    await sendNotification(t.demo.orgId, payloadFor([t.demo.users.manager.id], 'Not for viewer'));
    await t.drainBus();
    await client.close();

    expect(client.messages.map((message) => message.type)).toEqual(['hello']);
  });

  it('answers a ping with a pong', async () => {
    const client = await RealtimeClient.connect(t.tokens.viewer);
    await client.waitFor('hello');

    client.socket.send(JSON.stringify({ type: 'ping' }));
    const pong = await client.waitFor('pong');
    await client.close();

    expect(pong).toEqual({ type: 'pong' });
  });

  it('rejects an invalid token with 401', async () => {
    expect(await rejectedStatus(`${wsBaseUrl}?access_token=not-a-token`)).toBe(401);
  });

  it('rejects a connection without a token with 401', async () => {
    expect(await rejectedStatus(wsBaseUrl)).toBe(401);
  });

  it('leaves the hub when the client closes', async () => {
    const hub = t.running.platform.realtime;
    const client = await RealtimeClient.connect(t.tokens.viewer);
    await client.waitFor('hello');
    await client.close();

    await vi.waitFor(() => expect(hub.connectionCount).toBe(0), { timeout: 5_000 });
  });
});
