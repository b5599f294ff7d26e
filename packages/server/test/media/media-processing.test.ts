import type { MediaView } from '@avior/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  createSurvey,
  findingsOf,
  getMedia,
  pathOf,
  PHOTO_QUESTION,
  photoNotifications,
  postMultipart,
  processDeliveries,
  readPhoto,
  uploadSigned,
} from './media.helpers.ts';

const PIXEL_JPEG = 'electrical_panel_breakers_pixel3_4032x3024_orient6.jpg';
const KITCHEN_HEIC = 'kitchen_room_interior_orient6.heic';
const TINY_JPEG = 'tiny_59x100_full_exif.jpg';
const SPRINKLER_JPEG = 'fire_sprinkler_head_closeup.jpg';
const CRACK_PNG = 'crack_brick_wall_vertical.png';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

async function download(url: string) {
  return t.app.inject({ method: 'GET', url: pathOf(url) });
}

describe('media.process on a signed upload of a Pixel 3 JPEG', () => {
  let media: MediaView;

  beforeAll(async () => {
    const surveyId = await createSurvey(t);
    const bytes = await readPhoto(PIXEL_JPEG);
    const mediaId = await uploadSigned(t, surveyId, bytes, 'panel.jpg');
    await t.drainBus();
    media = await getMedia(t, mediaId);
  });

  it('marks the photo processed', () => {
    expect(media.status).toBe('processed');
  });

  it('detects the format from the bytes', () => {
    expect(media.detectedFormat).toBe('jpeg');
  });

  it('keeps the GPS position', () => {
    expect(media.metadata?.gps).toMatchObject({
      latitude: expect.any(Number),
      longitude: expect.any(Number),
    });
  });

  it('keeps the capture time and camera', () => {
    expect(media.metadata?.capturedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(media.metadata?.camera?.make).toBe('Google');
  });

  it('applies the EXIF orientation to the size', () => {
    expect([media.metadata?.width, media.metadata?.height]).toEqual([3024, 4032]);
  });

  it('lists every derivative tier', () => {
    expect(media.derivatives.map((derivative) => derivative.tier).sort()).toEqual([
      'report',
      'thumb320',
      'w1024',
      'w2048',
    ]);
  });

  it('stores a blurhash and quality figures', () => {
    expect(media.blurhash).toMatch(/^.{6,}$/);
    expect(media.quality?.sharpness).toBeGreaterThan(0);
  });

  it('serves a derivative through its signed link', async () => {
    const thumb = media.derivatives.find((derivative) => derivative.tier === 'thumb320');
    const response = await download(thumb?.url ?? '');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/webp');
    expect(response.rawPayload.subarray(8, 12).toString('ascii')).toBe('WEBP');
    expect(response.rawPayload.length).toBe(thumb?.bytes);
  });

  it('names the download after the original', async () => {
    const thumb = media.derivatives.find((derivative) => derivative.tier === 'thumb320');
    const response = await download(thumb?.url ?? '');
    expect(response.headers['content-disposition']).toContain('filename="panel-thumb320.webp"');
  });

  it('writes no EXIF into a derivative', async () => {
    const large = media.derivatives.find((derivative) => derivative.tier === 'w2048');
    const response = await download(large?.url ?? '');
    expect(response.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
  });

  it.each([
    [
      'key',
      (url: URL) =>
        url.searchParams.set(
          'key',
          (url.searchParams.get('key') ?? '').replace('thumb320', 'w2048'),
        ),
    ],
    ['file name', (url: URL) => url.searchParams.set('name', 'other.webp')],
    [
      'signature',
      (url: URL) => url.searchParams.set('sig', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    ],
  ])('rejects a download link with a changed %s', async (_name, tamper) => {
    const thumb = media.derivatives.find((derivative) => derivative.tier === 'thumb320');
    const url = new URL(thumb?.url ?? '');
    tamper(url);
    const response = await download(url.toString());
    expect(response.statusCode).toBe(403);
  });

  it('rejects an upload link used for a download', async () => {
    const key = `derivatives/${t.demo.orgId}/${media.surveyId}/${media.id}/thumb320.webp`;
    const upload = t.running.platform.signUrl({ operation: 'put', key, maxBytes: 10 });
    const response = await download(upload.url.replace('/upload', '/download'));
    expect(response.statusCode).toBe(403);
  });

  it('answers an expired download link with 410', async () => {
    const key = `derivatives/${t.demo.orgId}/${media.surveyId}/${media.id}/thumb320.webp`;
    const expired = t.running.platform.signUrl({ operation: 'get', key }, -60);
    const response = await download(expired.url);
    expect(response.statusCode).toBe(410);
  });

  it('tells the uploader the photo is ready', async () => {
    const kinds = (await photoNotifications(t, media.id)).map((payload) => payload.kind);
    expect(kinds).toEqual(['photo.processed']);
  });
});

describe('media.process on a multipart HEIC upload', () => {
  let media: MediaView;

  beforeAll(async () => {
    const surveyId = await createSurvey(t);
    const bytes = await readPhoto(KITCHEN_HEIC);
    const response = await postMultipart(t, surveyId, [
      { name: 'questionId', value: PHOTO_QUESTION },
      { name: 'file', value: bytes, fileName: 'kitchen.HEIC', contentType: 'image/heic' },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    await t.drainBus();
    media = await getMedia(t, response.json<{ media: MediaView }>().media.id);
  });

  it('marks the photo processed as HEIC', () => {
    expect([media.status, media.detectedFormat]).toEqual(['processed', 'heic']);
  });

  it('keeps a portrait photo portrait', () => {
    expect(media.metadata?.height).toBeGreaterThan(media.metadata?.width ?? Infinity);
  });

  it('makes portrait derivatives', () => {
    const thumb = media.derivatives.find((derivative) => derivative.tier === 'thumb320');
    expect(thumb?.height).toBeGreaterThan(thumb?.width ?? Infinity);
  });

  it('keeps the question the photo answers', () => {
    expect(media.questionId).toBe(PHOTO_QUESTION);
  });
});

describe('media.process quality findings', () => {
  let surveyId: string;
  let tinyId: string;
  let firstId: string;
  let secondId: string;

  beforeAll(async () => {
    surveyId = await createSurvey(t);
    tinyId = await uploadSigned(t, surveyId, await readPhoto(TINY_JPEG), 'tiny.jpg');
    const sprinkler = await readPhoto(SPRINKLER_JPEG);
    firstId = await uploadSigned(t, surveyId, sprinkler, 'sprinkler.jpg');
    await t.drainBus();
    secondId = await uploadSigned(t, surveyId, sprinkler, 'sprinkler-again.jpg');
    await t.drainBus();
  });

  it('flags a tiny photo as too small', async () => {
    const codes = (await findingsOf(t, tinyId)).map((finding) => finding.code);
    expect(codes).toContain('too_small');
  });

  it('rates too_small as medium with the size in its evidence', async () => {
    const finding = (await findingsOf(t, tinyId)).find((row) => row.code === 'too_small');
    expect(finding?.severity).toBe('medium');
    expect(finding?.evidence).toMatchObject({
      width: 59,
      height: 100,
      shortSide: 59,
      minShortSide: 480,
    });
  });

  it('flags the same photo uploaded twice as a duplicate', async () => {
    const duplicate = (await findingsOf(t, secondId)).find((row) => row.code === 'duplicate');
    expect(duplicate?.severity).toBe('info');
    expect(duplicate?.evidence).toMatchObject({
      otherMediaId: firstId,
      otherFileName: 'sprinkler.jpg',
      hammingDistance: 0,
    });
  });

  it('does not flag the first of the two', async () => {
    const codes = (await findingsOf(t, firstId)).map((finding) => finding.code);
    expect(codes).not.toContain('duplicate');
  });

  it('stores the findings as photo_quality', async () => {
    const sources = (await findingsOf(t, secondId)).map((finding) => finding.source);
    expect(new Set(sources)).toEqual(new Set(['photo_quality']));
  });
});

describe('media.process on rejected bytes', () => {
  let surveyId: string;
  let pdfId: string;
  let truncatedId: string;
  let goodId: string;
  let failuresBefore: number;

  async function uploadFailures(reason: string): Promise<number> {
    const metric = await t.running.platform.metrics.uploadFailures.get();
    return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
  }

  beforeAll(async () => {
    surveyId = await createSurvey(t);
    failuresBefore = await uploadFailures('unsupported_type');
    const pdf = Buffer.from(
      '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n',
    );
    pdfId = await uploadSigned(t, surveyId, pdf, 'looks-like-a-photo.jpg');
    const whole = await readPhoto(SPRINKLER_JPEG);
    truncatedId = await uploadSigned(
      t,
      surveyId,
      whole.subarray(0, Math.floor(whole.length / 2)),
      'cut-off.jpg',
    );
    goodId = await uploadSigned(t, surveyId, await readPhoto(CRACK_PNG), 'crack.png', 'image/png');
    await t.drainBus();
  });

  it('marks non-image bytes failed with a readable reason', async () => {
    const media = await getMedia(t, pdfId);
    expect(media.status).toBe('failed');
    expect(media.failureCode).toBe('unsupported_type');
    expect(media.failureReason).toContain('PDF document');
  });

  it('handles the rejected photo in one attempt', async () => {
    expect(await processDeliveries(t, pdfId)).toEqual([{ status: 'done', attempts: 1 }]);
  });

  it('marks a truncated JPEG failed as corrupt', async () => {
    const media = await getMedia(t, truncatedId);
    expect([media.status, media.failureCode]).toEqual(['failed', 'corrupt']);
  });

  it('still processes the other uploads', async () => {
    expect((await getMedia(t, goodId)).status).toBe('processed');
  });

  it('counts the rejection by reason', async () => {
    expect(await uploadFailures('unsupported_type')).toBe(failuresBefore + 1);
  });

  it('tells the uploader the photo failed, naming the file', async () => {
    const [notification] = await photoNotifications(t, pdfId);
    expect(notification).toMatchObject({
      kind: 'photo.failed',
      title: 'Photo could not be processed',
      userIds: [t.demo.users.inspector.id],
    });
    expect(notification?.body).toContain('looks-like-a-photo.jpg');
  });

  it('writes no derivatives for a rejected photo', async () => {
    expect((await getMedia(t, pdfId)).derivatives).toEqual([]);
  });
});
