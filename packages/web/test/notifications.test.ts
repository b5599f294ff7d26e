import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBackgroundSync } from '../src/data/index.ts';
import { toSocketUrl } from '../src/data/notifications.ts';
import {
  assignSurvey,
  createInspectorDevices,
  managerToken,
  startServer,
  type RunningServer,
} from './support/server.ts';

describe('toSocketUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/v1/ws', 'ws://127.0.0.1:3000/v1/ws?access_token=abc'],
    ['https://avior.example/v1/ws', 'wss://avior.example/v1/ws?access_token=abc'],
  ])('turns %s into %s', (http, ws) => {
    expect(toSocketUrl(http, 'abc')).toBe(ws);
  });
});

describe('notification socket', () => {
  // Access tokens live 10 s here, so the server closes the socket with 4001 during the test.
  let server: RunningServer;
  const inspectorDevice = createInspectorDevices();
  const closeCodes: number[] = [];

  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.addEventListener('close', (event) => closeCodes.push(event.code));
    }
  }

  beforeAll(async () => {
    server = await startServer({ ACCESS_TOKEN_TTL_SECONDS: '10' });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('reconnects with a fresh token after the server closes with 4001', async () => {
    const device = await inspectorDevice({
      baseUrl: server.baseUrl,
      WebSocket: RecordingWebSocket as unknown as new (url: string) => globalThis.WebSocket,
    });
    const stop = startBackgroundSync();
    try {
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      const surveyId = await assignSurvey(server.t, await managerToken(server.t));
      await server.t.drainBus();

      const deadline = Date.now() + 15_000;
      let received = 0;
      while (received === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        received = await device.db.notifications
          .filter((item) => item.data.surveyId === surveyId)
          .count();
      }

      expect(closeCodes).toContain(4001);
      expect(received).toBe(1);
    } finally {
      stop();
    }
  }, 60_000);
});
