import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createSurvey, readPhoto } from './media.helpers.ts';
import {
  headUpload,
  patchUpload,
  photoMetadata,
  processedMedia,
  startUpload,
  uploadFiles,
  waitFor,
} from './tus.helpers.ts';

const EXPIRY_SECONDS = 2;

let uploadDir: string;
let t: TestApp;
let restarted: TestApp | undefined;
let photo: Buffer;
let expiredUploadId: string;

function startApp(cleanupIntervalSeconds: number): Promise<TestApp> {
  return startTestApp({
    env: {
      UPLOAD_DIR: uploadDir,
      UPLOAD_EXPIRY_SECONDS: String(EXPIRY_SECONDS),
      UPLOAD_CLEANUP_INTERVAL_SECONDS: String(cleanupIntervalSeconds),
    },
  });
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'avior-tus-'));
  t = await startApp(3600);
  photo = await readPhoto('crack_church_masonry_sample.jpg');
});
afterAll(async () => {
  await t?.drainBus();
  await t?.stop();
  await restarted?.stop();
  await rm(uploadDir, { recursive: true, force: true });
});

describe('expired resumable upload', () => {
  it('answers 410, then restarts cleanly', async () => {
    const surveyId = await createSurvey(t);
    const token = t.tokens.inspector;
    const metadata = photoMetadata(surveyId);
    const path = await startUpload(t, token, metadata, photo.length);
    expiredUploadId = path.split('/').at(-1)!;
    await patchUpload(t, path, token, 0, photo.subarray(0, 10_000));
    await sleep(EXPIRY_SECONDS * 1000 + 200);

    const patch = await patchUpload(t, path, token, 10_000, photo.subarray(10_000));
    const head = await headUpload(t, path, token);

    expect(patch.status).toBe(410);
    expect(JSON.parse(patch.body)).toMatchObject({ code: 'UPLOAD_EXPIRED' });
    expect(head.status).toBe(410);

    const fresh = await startUpload(t, token, metadata, photo.length);
    const sent = await patchUpload(t, fresh, token, 0, photo);
    const media = await processedMedia(t, metadata.mediaId!);

    expect(sent.status, sent.body).toBe(204);
    expect(media.status).toBe('processed');
  });

  it('is deleted when the server starts', async () => {
    expect(await uploadFiles(t, expiredUploadId)).toHaveLength(2);

    restarted = await startApp(1);
    await waitFor(async () => (await uploadFiles(restarted!, expiredUploadId)).length === 0);

    expect(await uploadFiles(restarted, expiredUploadId)).toEqual([]);
  });

  it('is deleted by the periodic sweep', async () => {
    const app = restarted!;
    const surveyId = await createSurvey(app);
    const path = await startUpload(app, app.tokens.inspector, photoMetadata(surveyId), 1000);
    const uploadId = path.split('/').at(-1)!;

    await waitFor(async () => (await uploadFiles(app, uploadId)).length === 0, 15_000);
    const head = await headUpload(app, path, app.tokens.inspector);

    expect(head.status).toBe(404);
  });
});
