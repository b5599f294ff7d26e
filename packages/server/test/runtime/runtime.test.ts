import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.ts';
import { appendEvent } from '../../src/platform/bus/index.ts';
import { startAvior } from '../../src/runtime.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed.ts';
import { createScratchDatabase } from '../support/test-database.ts';

const baseEnv = {
  AVIOR_SECRET: 'runtime-test-secret-0123456789',
  LOG_LEVEL: 'silent',
  MAX_EVENT_LOOP_DELAY_MS: '0',
  BUS_POLL_INTERVAL_MS: '20',
  HOST: '127.0.0.1',
};

describe('startAvior', () => {
  let dataDir: string;
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'avior-runtime-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(async () => {
    blocker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails when the port is taken and releases the data folder', async () => {
    const config = loadConfig({ ...baseEnv, AVIOR_DATA_DIR: dataDir, PORT: String(port) });
    await expect(startAvior(config)).rejects.toThrow(/EADDRINUSE/);

    const retry = await startAvior(config, { listen: false });
    await retry.stop();
  });

  it('serves metrics from a worker-only process on METRICS_PORT', async () => {
    const config = loadConfig({ ...baseEnv, AVIOR_DATA_DIR: dataDir, METRICS_PORT: '0' });
    const worker = await startAvior(config, { roles: ['worker'] });
    try {
      const metrics = await fetch(`${worker.url}/metrics`);
      const api = await fetch(`${worker.url}/v1/facilities`);
      expect(await metrics.text()).toContain('avior_worker_job_duration_seconds');
      expect(api.status).toBe(404);
    } finally {
      await worker.stop();
    }
  });

  it('refuses a second process on the same embedded database', async () => {
    const config = loadConfig({ ...baseEnv, AVIOR_DATA_DIR: dataDir });
    const first = await startAvior(config, { listen: false });
    try {
      await expect(startAvior(config, { listen: false })).rejects.toThrow(/in use by process/);
    } finally {
      await first.stop();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('split API and worker processes', () => {
  it('push a notification stored by the worker to a socket on the API', async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL as string, 'split');
    const dataDir = await mkdtemp(join(tmpdir(), 'avior-split-'));
    const env = { ...baseEnv, AVIOR_DATA_DIR: dataDir, DATABASE_URL: scratch.url, PORT: '0' };
    const api = await startAvior(loadConfig(env), { roles: ['api'] });
    const worker = await startAvior(loadConfig({ ...env, SEED_DEMO: 'false' }), {
      roles: ['worker'],
    });
    try {
      const login = await fetch(`${api.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'inspector@northwind.example', password: DEMO_PASSWORD }),
      });
      const session = (await login.json()) as {
        accessToken: string;
        user: { id: string; orgId: string };
      };
      const socket = new WebSocket(
        `${api.url?.replace('http', 'ws')}/v1/ws?access_token=${session.accessToken}`,
      );
      const pushed = new Promise<{ type: string; data: { title: string } }>((resolve) => {
        socket.on('message', (data) => {
          const message = JSON.parse(String(data));
          if (message.type === 'notification') resolve(message);
        });
      });
      await new Promise((resolve) => socket.once('open', resolve));

      await worker.platform.db.transaction().execute((trx) =>
        appendEvent(trx, {
          topic: 'notifications.send',
          orgId: session.user.orgId,
          payload: {
            userIds: [session.user.id],
            kind: 'report.ready',
            title: 'Pushed across processes',
            body: 'b',
            data: {},
          },
        }),
      );
      worker.platform.notifyCommitted();

      expect((await pushed).data.title).toBe('Pushed across processes');
      socket.close();
    } finally {
      await api.stop();
      await worker.stop();
      await scratch.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
