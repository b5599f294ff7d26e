import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { countMedia, createSurvey, PHOTO_QUESTION, readPhoto } from './media.helpers.ts';
import {
  createUpload,
  headUpload,
  patchInParts,
  photoMetadata,
  processedMedia,
  readOriginal,
  sendTus,
  startUpload,
  uploadFiles,
  waitFor,
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

describe('resumable upload', () => {
  it('processes a photo sent in three chunks', async () => {
    const photo = await readPhoto('fire_sprinkler_head_closeup.jpg');
    const metadata = photoMetadata(surveyId, {
      filename: 'sprinkler.jpg',
      questionId: PHOTO_QUESTION,
    });
    const path = await startUpload(t, token, metadata, photo.length);

    await patchInParts(t, path, token, photo, 3);
    const media = await processedMedia(t, metadata.mediaId!);

    expect(media.status).toBe('processed');
    expect(media.id).toBe(metadata.mediaId);
    expect(media.questionId).toBe(PHOTO_QUESTION);
    expect(media.fileName).toBe('sprinkler.jpg');
    expect(media.byteSize).toBe(photo.length);
    expect(media.derivatives.map((derivative) => derivative.tier).sort()).toEqual([
      'report',
      'thumb320',
      'w1024',
      'w2048',
    ]);
    const original = await readOriginal(t, { orgId: t.demo.orgId, surveyId, id: media.id });
    expect(original.equals(photo)).toBe(true);
  });

  it('deletes the partial file once the photo is stored', async () => {
    const photo = await readPhoto('crack_church_masonry_sample.jpg');
    const metadata = photoMetadata(surveyId);
    const path = await startUpload(t, token, metadata, photo.length);
    await patchInParts(t, path, token, photo, 1);
    const uploadId = path.split('/').at(-1)!;

    await waitFor(async () => (await uploadFiles(t, uploadId)).length === 0);
    const head = await headUpload(t, path, token);

    expect(head.status).toBe(404);
  });

  it('takes the whole photo in the creation request', async () => {
    const photo = await readPhoto('crack_church_masonry_sample.jpg');
    const metadata = photoMetadata(surveyId);

    const created = await createUpload(t, {
      token,
      length: photo.length,
      metadata,
      body: photo,
    });

    expect(created.status, created.body).toBe(201);
    expect(created.headers['upload-offset']).toBe(String(photo.length));
    expect((await processedMedia(t, metadata.mediaId!)).status).toBe('processed');
  });

  it('keeps declared capture facts without EXIF', async () => {
    // A device re-encodes photos in a canvas, which keeps no EXIF; sharp does the same.
    const withExif = await readPhoto('fire_sprinkler_head_closeup.jpg');
    const compressed = await sharp(withExif).resize(1200).jpeg({ quality: 80 }).toBuffer();
    const metadata = photoMetadata(surveyId, {
      capturedAt: '2026-03-01T10:15:00+01:00',
      latitude: '51.501364',
      longitude: '-0.14189',
    });
    const path = await startUpload(t, token, metadata, compressed.length);
    await patchInParts(t, path, token, compressed, 2);

    const media = await processedMedia(t, metadata.mediaId!);

    expect(media.metadata?.capturedAt).toBe('2026-03-01T10:15:00+01:00');
    expect(media.metadata?.capturedAtSource).toBe('device');
    expect(media.metadata?.gps).toEqual({
      latitude: 51.501364,
      longitude: -0.14189,
      altitude: null,
    });
    expect(media.metadata?.gpsSource).toBe('device');
  });

  it('prefers the EXIF capture time', async () => {
    const photo = await readPhoto('fire_sprinkler_head_closeup.jpg');
    const metadata = photoMetadata(surveyId, {
      capturedAt: '2026-03-01T10:15:00Z',
      latitude: '48.8584',
      longitude: '2.2945',
    });
    const path = await startUpload(t, token, metadata, photo.length);
    await patchInParts(t, path, token, photo, 1);

    const media = await processedMedia(t, metadata.mediaId!);

    expect(media.metadata?.capturedAt).toMatch(/^2013-02-27T/);
    expect(media.metadata?.capturedAtSource).toBe('file');
    expect(media.metadata?.gpsSource).toBe('device');
  });

  it('ends an upload on DELETE', async () => {
    const metadata = photoMetadata(surveyId);
    const path = await startUpload(t, token, metadata, 1000);

    const deleted = await sendTus(t, { method: 'DELETE', path, token });
    const head = await headUpload(t, path, token);

    expect(deleted.status).toBe(204);
    expect(head.status).toBe(404);
    expect(await countMedia(t, surveyId)).toBeGreaterThan(0);
  });

  it('lists its extensions on OPTIONS without a token', async () => {
    const options = await sendTus(t, { method: 'OPTIONS', path: '/v1/uploads' });

    expect(options.status).toBe(204);
    expect(options.headers['tus-version']).toBe('1.0.0');
    expect(options.headers['tus-extension']).toBe(
      'creation,creation-with-upload,termination,expiration',
    );
    expect(options.headers['tus-max-size']).toBe(String(t.config.maxUploadBytes));
  });
});
