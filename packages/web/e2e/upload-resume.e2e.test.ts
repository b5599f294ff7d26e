import type { Question } from '@avior/contract';
import type { Browser, BrowserContext, CDPSession, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../server/src/platform/telemetry/metrics.ts';
import {
  ApiClient,
  assignDemoSurvey,
  INSPECTOR_EMAIL,
  MANAGER_EMAIL,
  readCounter,
  type Assignment,
} from './support/api.ts';
import { question, readDeviceTable, signIn, waitForSyncedDevice } from './support/app.ts';
import { cleanUp } from './support/cleanup.ts';
import { launchChromium, openDevice } from './support/chromium.ts';
import { startNetworkLink, type NetworkLink } from './support/network-link.ts';
import { photoPath, PHOTOS } from './support/photos.ts';
import { startAviorServer, type AviorServer } from './support/server.ts';
import { skipStepsAfterFailure } from './support/steps.ts';

interface DevicePhoto {
  readonly id: string;
  readonly status: string;
  readonly byteSize: number;
  readonly bytesUploaded: number;
  readonly uploadUrl: string | null;
}

interface UploadRequest {
  readonly method: string;
  readonly url: string;
  readonly offset: number | null;
}

/** Chunk size the app reads from localStorage: small, so the upload takes many requests. */
const CHUNK_BYTES = 64 * 1024;
/** The throttled upload takes about this long, so a poll can see it in the middle. */
const THROTTLED_UPLOAD_SECONDS = 12;

describe('photo upload resumed after a network cut', () => {
  skipStepsAfterFailure();
  let link: NetworkLink | undefined;
  let server: AviorServer | undefined;
  let browser: Browser | undefined;
  let manager: ApiClient;
  let assignment: Assignment;
  let photoQuestion: Question;
  let device: BrowserContext;
  let page: Page;
  let network: CDPSession;
  const uploads: UploadRequest[] = [];
  let photo: DevicePhoto;
  let counterBefore: number;
  let uploadedAtCut: number;
  let sentAtCut: number;
  let requestsBeforeRestore: number;

  beforeAll(async () => {
    // The browser reaches the server through a relay the test can cut, and signed links name it.
    link = await startNetworkLink();
    server = await startAviorServer({ PUBLIC_URL: link.url });
    link.connectTo(server.port);
    manager = await ApiClient.signIn(server.url, MANAGER_EMAIL);
    assignment = await assignDemoSurvey(manager);
    const found = assignment.template.definition.sections
      .flatMap((section) => section.questions)
      .find((item) => item.type === 'photo' && !item.visibleIf);
    if (!found) throw new Error('the template has no unconditional photo question');
    photoQuestion = found;

    browser = await launchChromium();
    device = await openDevice(browser, link.url);
    page = await device.newPage();
    page.on('request', recordUpload);
    network = await device.newCDPSession(page);
    await network.send('Network.enable');
  });

  afterAll(() =>
    cleanUp(
      () => browser?.close(),
      () => link?.close(),
      () => server?.stop(),
    ),
  );

  function recordUpload(request: Request): void {
    if (!new URL(request.url()).pathname.startsWith('/v1/uploads')) return;
    const offset = request.headers()['upload-offset'];
    uploads.push({
      method: request.method(),
      url: request.url(),
      offset: offset === undefined ? null : Number(offset),
    });
  }

  /** Sets Chromium's network emulation for the page: offline, or online at a byte rate. */
  async function setNetwork(state: { offline: boolean; uploadBytesPerSecond?: number }) {
    await network.send('Network.emulateNetworkConditions', {
      offline: state.offline,
      latency: state.uploadBytesPerSecond ? 40 : 0,
      downloadThroughput: -1,
      uploadThroughput: state.uploadBytesPerSecond ?? -1,
    });
  }

  async function readPhoto(): Promise<DevicePhoto | undefined> {
    return (await readDeviceTable<DevicePhoto>(page, 'photos'))[0];
  }

  it('queues a large photo offline with small chunks', async () => {
    await signIn(page, INSPECTOR_EMAIL);
    await page.evaluate(
      (bytes) => localStorage.setItem('avior.uploadChunkBytes', String(bytes)),
      CHUNK_BYTES,
    );
    await page
      .locator(`[data-testid="survey-row"][data-survey-id="${assignment.surveyId}"]`)
      .click();
    const card = question(page, photoQuestion.id);
    await card.waitFor();
    await setNetwork({ offline: true });
    await page.getByTestId('offline-banner').waitFor();
    await card.getByTestId('photo-input').setInputFiles(photoPath(PHOTOS.stoneWallLarge));

    await expect.poll(async () => (await readPhoto())?.status, { timeout: 30_000 }).toBe('waiting');
    photo = (await readPhoto())!;
    expect(photo.byteSize).toBeGreaterThan(CHUNK_BYTES * 4);
    expect(photo.bytesUploaded).toBe(0);
  });

  it('cuts the network in the middle of a chunk', async () => {
    counterBefore = await readCounter(server!.url, METRIC_NAMES.uploadBytesReceived);
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('sync-screen').waitFor();
    const rate = Math.max(16 * 1024, Math.round(photo.byteSize / THROTTLED_UPLOAD_SECONDS));
    await setNetwork({ offline: false, uploadBytesPerSecond: rate });

    // The progress bar counts the bytes sent, including those of the chunk in flight. The cut
    // waits until the upload is 10% to 90% done and about halfway through a chunk, so the
    // server has stored part of a chunk when the connection drops.
    const sent = await page.waitForFunction(
      (chunk) => {
        const bar = document.querySelector<HTMLProgressElement>('[data-testid="upload-progress"]');
        if (!bar || bar.max <= 1) return null;
        const share = bar.value / bar.max;
        const inChunk = (bar.value % chunk) / chunk;
        return share >= 0.1 && share <= 0.9 && inChunk >= 0.25 && inChunk <= 0.75
          ? bar.value
          : null;
      },
      CHUNK_BYTES,
      { timeout: 60_000, polling: 'raf' },
    );
    link!.cut();
    await setNetwork({ offline: true });
    sentAtCut = (await sent.jsonValue()) as number;
    uploadedAtCut = (await readPhoto())!.bytesUploaded;

    expect(sentAtCut).toBeGreaterThan(uploadedAtCut);
    expect(uploadedAtCut).toBeLessThan(photo.byteSize);
  });

  it('keeps the upload unfinished while offline', async () => {
    await page.getByTestId('offline-banner').waitFor();
    const stored = await readPhoto();
    const onServer = (await manager.media(assignment.surveyId)).find((m) => m.id === photo.id);

    expect(stored?.status).not.toBe('uploaded');
    expect(stored?.bytesUploaded).toBeLessThan(photo.byteSize);
    expect(onServer?.status ?? 'awaiting_upload').toBe('awaiting_upload');
    requestsBeforeRestore = uploads.length;
  });

  it('finishes the upload after the network returns', async () => {
    link!.restore();
    await setNetwork({ offline: false });

    await expect
      .poll(async () => (await readPhoto())?.status, { timeout: 60_000 })
      .toBe('uploaded');
    await waitForSyncedDevice(page, 60_000);
  });

  it('resumes from the server offset', () => {
    const creations = uploads.filter((u) => u.method === 'POST');
    const afterRestore = uploads.slice(requestsBeforeRestore);
    const firstPatch = afterRestore.findIndex((u) => u.method === 'PATCH');
    const resumedOffset = afterRestore[firstPatch]?.offset;

    expect(creations).toHaveLength(1);
    expect(afterRestore.slice(0, firstPatch).map((u) => u.method)).toContain('HEAD');
    expect(resumedOffset).toBeGreaterThan(0);
    expect(resumedOffset).toBeGreaterThanOrEqual(uploadedAtCut);
    expect(resumedOffset).toBeLessThanOrEqual(sentAtCut);
  });

  it('receives each byte of the photo once', async () => {
    const counterAfter = await readCounter(server!.url, METRIC_NAMES.uploadBytesReceived);

    expect(counterAfter - counterBefore).toBe(photo.byteSize);
  });

  it('processes the resumed photo', async () => {
    await expect
      .poll(
        async () =>
          (await manager.media(assignment.surveyId)).find((m) => m.id === photo.id)?.status,
        { timeout: 60_000, interval: 500 },
      )
      .toBe('processed');
    const media = (await manager.media(assignment.surveyId)).find((m) => m.id === photo.id)!;

    expect(media.byteSize).toBe(photo.byteSize);
    expect(media.derivatives.length).toBeGreaterThan(0);
  });
});
