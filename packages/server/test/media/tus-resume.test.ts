import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { countMedia, createSurvey, readPhoto } from './media.helpers.ts';
import {
  bytesReceived,
  headUpload,
  patchInParts,
  patchUpload,
  photoMetadata,
  processedMedia,
  readOriginal,
  sendCutPatch,
  startUpload,
} from './tus.helpers.ts';

let t: TestApp;
let surveyId: string;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  surveyId = await createSurvey(t);
  token = t.tokens.inspector;
});
afterAll(async () => {
  await t?.drainBus();
  await t?.stop();
});

function partialFile(path: string): string {
  return join(t.config.uploadDir, path.split('/').at(-1)!);
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file)).size;
}

async function uploadedEvents(mediaId: string): Promise<number> {
  const rows = await t.running.platform.db
    .selectFrom('outbox_events')
    .select('id')
    .where('topic', '=', 'media.uploaded')
    .where(sql<string>`payload->>'mediaId'`, '=', mediaId)
    .execute();
  return rows.length;
}

describe('resumable upload after a cut connection', () => {
  it('resumes from the stored offset', async () => {
    const photo = await readPhoto('people_meeting_room_iphone5s.jpg');
    const counterBefore = await bytesReceived(t);
    const metadata = photoMetadata(surveyId);
    const path = await startUpload(t, token, metadata, photo.length);
    const sent = photo.subarray(0, 600_000);

    await sendCutPatch(t, {
      path,
      token,
      offset: 0,
      declaredLength: photo.length,
      sent,
      isStored: async () => (await sizeOf(partialFile(path))) >= sent.length,
    });
    const head = await headUpload(t, path, token);
    const stored = await sizeOf(partialFile(path));

    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(stored));
    expect(stored).toBe(sent.length);
    expect(head.headers['upload-length']).toBe(String(photo.length));

    const resumed = await patchUpload(t, path, token, stored, photo.subarray(stored));
    const media = await processedMedia(t, metadata.mediaId!);
    const original = await readOriginal(t, { orgId: t.demo.orgId, surveyId, id: media.id });

    expect(resumed.status, resumed.body).toBe(204);
    expect(resumed.headers['upload-offset']).toBe(String(photo.length));
    expect(media.status).toBe('processed');
    expect(original.equals(photo)).toBe(true);
    expect((await bytesReceived(t)) - counterBefore).toBe(photo.length);
  });
});

describe('finishing a resumable upload', () => {
  it('stores one photo for two uploads', async () => {
    const photo = await readPhoto('crack_church_masonry_sample.jpg');
    const metadata = photoMetadata(surveyId);
    const first = await startUpload(t, token, metadata, photo.length);
    const second = await startUpload(t, token, metadata, photo.length);

    await patchInParts(t, first, token, photo, 1);
    await patchInParts(t, second, token, photo, 1);
    const media = await processedMedia(t, metadata.mediaId!);

    expect(media.status).toBe('processed');
    expect(await uploadedEvents(metadata.mediaId!)).toBe(1);
    const original = await readOriginal(t, { orgId: t.demo.orgId, surveyId, id: media.id });
    expect(original.equals(photo)).toBe(true);
  });

  it('finishes on HEAD after a failed finish', async () => {
    const otherSurvey = await createSurvey(t);
    const photo = await readPhoto('crack_church_masonry_sample.jpg');
    const metadata = photoMetadata(otherSurvey);
    const path = await startUpload(t, token, metadata, photo.length);
    // A file where the survey's folder of originals belongs makes the blob store fail.
    const orgFolder = join(t.config.blobDir, 'originals', t.demo.orgId);
    await mkdir(orgFolder, { recursive: true });
    await writeFile(join(orgFolder, otherSurvey), 'in the way');

    const failed = await patchUpload(t, path, token, 0, photo);
    await rm(join(orgFolder, otherSurvey));
    const countAfterFailure = await countMedia(t, otherSurvey);
    const head = await headUpload(t, path, token);
    const media = await processedMedia(t, metadata.mediaId!);

    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ code: 'INTERNAL' });
    expect(countAfterFailure).toBe(0);
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(photo.length));
    expect(media.status).toBe('processed');
  });
});
