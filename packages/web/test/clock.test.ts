import 'fake-indexeddb/auto';
import { parseHlc, type MutationResult } from '@avior/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeviceId, DeviceClock } from '../src/data/clock.ts';
import type { Device } from '../src/data/device.ts';
import { setAnswer, syncNow } from '../src/data/index.ts';
import { readMeta } from '../src/data/local-data.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import {
  assignSurvey,
  createInspectorDevices,
  questionsOfType,
  startServer,
  storeSurvey,
  type RunningServer,
} from './support/server.ts';

const HOUR = 3_600_000;

describe('DeviceClock', () => {
  it('takes the offset from a Date header', () => {
    const deviceNow = 1_800_000_000_000;
    const clock = new DeviceClock('web-test', 0, () => deviceNow, null);
    const serverTime = new Date(deviceNow - 5 * HOUR).toUTCString();

    expect(clock.observeServerDate(serverTime, deviceNow - 100, deviceNow)).toBe(true);
    expect(Math.abs(clock.offset + 5 * HOUR)).toBeLessThan(1_000);
  });

  it('ignores differences within the header resolution', () => {
    const deviceNow = 1_800_000_000_400;
    const clock = new DeviceClock('web-test', 0, () => deviceNow, null);

    expect(clock.observeServerDate(new Date(deviceNow).toUTCString(), deviceNow, deviceNow)).toBe(
      false,
    );
    expect(clock.offset).toBe(0);
  });

  it('ignores a response too slow to measure', () => {
    const clock = new DeviceClock('web-test', 0, () => 0, null);
    const header = new Date(1_800_000_000_000).toUTCString();

    expect(clock.observeServerDate(header, 0, 20_000)).toBe(false);
  });

  it('drops stamps made with a clock ahead once corrected', () => {
    let deviceNow = 1_800_000_000_000 + 30 * HOUR;
    const clock = new DeviceClock('web-test', 0, () => deviceNow, null);
    const ahead = clock.tick();
    const trueNow = 1_800_000_000_000;
    clock.observeServerDate(new Date(trueNow).toUTCString(), deviceNow, deviceNow);
    deviceNow += 10;

    const next = parseHlc(clock.tick()).wallMs;
    expect(next).toBeLessThan(parseHlc(ahead).wallMs);
    expect(Math.abs(next - trueNow)).toBeLessThan(2_000);
  });

  it('creates device ids the server accepts', () => {
    expect(createDeviceId()).toMatch(/^web-[0-9a-f]{16}$/);
  });
});

describe('clock correction against the server', () => {
  let server: RunningServer;
  let proxy: FaultProxy;
  let proxyUrl: string;
  let questionId: string;
  const inspectorDevice = createInspectorDevices();

  beforeAll(async () => {
    server = await startServer();
    proxy = new FaultProxy(server.baseUrl);
    proxyUrl = await proxy.start();
    questionId = (await questionsOfType(server, 'text'))[0] ?? '';
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  beforeEach(() => {
    proxy.log.length = 0;
  });

  async function prepareSurvey(device: Device) {
    const surveyId = await assignSurvey(server.t);
    await storeSurvey(server, device, surveyId, { withTemplate: false });
    return surveyId;
  }

  function pushStatuses(): string[] {
    return proxy
      .requestsTo('POST', '/v1/sync/push')
      .filter((entry) => entry.status === 200)
      .flatMap((entry) => (JSON.parse(entry.responseBody) as { results: MutationResult[] }).results)
      .map((result) => result.status);
  }

  it.each([
    { name: '30 h ahead', skewMs: 30 * HOUR },
    { name: '5 h behind', skewMs: -5 * HOUR },
  ])('stamps in server time with a device clock $name', async ({ skewMs }) => {
    const device = await inspectorDevice({ baseUrl: proxyUrl, clockSkewMs: () => skewMs });
    const surveyId = await prepareSurvey(device);
    await setAnswer(surveyId, questionId, `skewed by ${skewMs}`);

    const answer = await device.db.answers.get([surveyId, questionId]);
    const offset = await readMeta<number>(device.db, 'clockOffsetMs');
    expect(Math.abs((offset ?? 0) + skewMs)).toBeLessThan(3_000);
    expect(Math.abs(parseHlc(answer?.hlc ?? '').wallMs - Date.now())).toBeLessThan(5_000);

    await syncNow();
    expect(pushStatuses()).toEqual(['applied']);
  });

  it('restamps changes made after the device clock jumped ahead', async () => {
    let skewMs = 0;
    const device = await inspectorDevice({ baseUrl: proxyUrl, clockSkewMs: () => skewMs });
    const surveyId = await prepareSurvey(device);
    skewMs = 30 * HOUR;
    await setAnswer(surveyId, questionId, 'made with a wrong clock');
    const [stale] = await device.db.mutations.toArray();
    expect(parseHlc(stale?.hlc ?? '').wallMs - Date.now()).toBeGreaterThan(29 * HOUR);

    await syncNow();

    const refused = proxy
      .requestsTo('POST', '/v1/sync/push')
      .filter((entry) => entry.status === 400);
    expect(refused).toHaveLength(1);
    expect(pushStatuses()).toEqual(['applied']);
    expect(await device.db.mutations.count()).toBe(0);
    const answer = await device.db.answers.get([surveyId, questionId]);
    expect(Math.abs(parseHlc(answer?.hlc ?? '').wallMs - Date.now())).toBeLessThan(5_000);
  });
});
