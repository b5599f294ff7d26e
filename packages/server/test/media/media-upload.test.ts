import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { MediaView, UploadTicketView } from '@avior/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGrant } from '../../src/platform/blobs/signed-url.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  countMedia,
  createSurvey,
  createTicket,
  listBlobFiles,
  pathOf,
  PHOTO_QUESTION,
  postMultipart,
  putBytes,
  readPhoto,
  requestTicket,
  setSurveyStatus,
} from './media.helpers.ts';

let t: TestApp;
let surveyId: string;
let jpeg: Buffer;

/** The start of a JPEG, for requests rejected before the bytes are read. */
const jpegStart = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

beforeAll(async () => {
  t = await startTestApp({ env: { MAX_UPLOAD_BYTES: String(4 * 1024 * 1024) } });
  surveyId = await createSurvey(t);
  jpeg = await readPhoto('crack_church_masonry_sample.jpg');
});
afterAll(() => t?.stop());

async function mediaStatus(mediaId: string): Promise<string | undefined> {
  const row = await t.running.platform.db
    .selectFrom('media')
    .select('status')
    .where('id', '=', mediaId)
    .executeTakeFirst();
  return row?.status;
}

/** Sends `chunks` with chunked transfer encoding to the listening server; returns the status. */
async function putChunked(url: string, chunks: readonly Buffer[]): Promise<number> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const put = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: pathOf(url),
        headers: { 'content-type': 'image/jpeg' },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    put.on('error', reject);
    for (const chunk of chunks) put.write(chunk);
    put.end();
  });
}

function replaceParam(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}

describe('POST /v1/surveys/:surveyId/media/uploads', () => {
  it('returns a signed PUT link capped at the declared size', async () => {
    const ticket = await createTicket(t, surveyId, {
      byteSize: jpeg.length,
      questionId: PHOTO_QUESTION,
    });
    expect(ticket.upload).toMatchObject({ method: 'PUT', maxBytes: jpeg.length });
  });

  it('creates the media row awaiting its upload', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    expect(ticket.media.status).toBe('awaiting_upload');
  });

  it('points the link at the blob upload route', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    expect(new URL(ticket.upload.url).pathname).toBe('/v1/blobs/upload');
  });

  it('rejects a size above the limit with 413', async () => {
    const response = await requestTicket(t, surveyId, { byteSize: 4 * 1024 * 1024 + 1 });
    expect(response.statusCode).toBe(413);
  });

  it.each(['application/pdf', 'image/gif', 'text/plain'])(
    'rejects %s with 415 naming the accepted types',
    async (contentType) => {
      const response = await requestTicket(t, surveyId, { byteSize: 10, contentType });
      expect(response.statusCode).toBe(415);
      expect(response.json<{ message: string }>().message).toContain(
        'image/jpeg, image/png, image/webp, image/heic, image/heif',
      );
    },
  );

  it.each([
    ['fileName missing', { contentType: 'image/jpeg', byteSize: 10 }, 'body.fileName'],
    [
      'a control character in fileName',
      { fileName: 'a\nb.jpg', contentType: 'image/jpeg', byteSize: 10 },
      'body.fileName',
    ],
    ['byteSize missing', { fileName: 'a.jpg', contentType: 'image/jpeg' }, 'body.byteSize'],
    [
      'byteSize as text',
      { fileName: 'a.jpg', contentType: 'image/jpeg', byteSize: '10' },
      'body.byteSize',
    ],
    [
      'byteSize zero',
      { fileName: 'a.jpg', contentType: 'image/jpeg', byteSize: 0 },
      'body.byteSize',
    ],
    [
      'questionId as number',
      { fileName: 'a.jpg', contentType: 'image/jpeg', byteSize: 10, questionId: 7 },
      'body.questionId',
    ],
    [
      'an unknown field',
      { fileName: 'a.jpg', contentType: 'image/jpeg', byteSize: 10, bytes: 'AAAA' },
      'body.bytes',
    ],
  ])('rejects %s with 400 naming the field', async (_name, body, field) => {
    const response = await t.request('POST', `/v1/surveys/${surveyId}/media/uploads`, {
      token: t.tokens.inspector,
      body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });

  it('rejects a question that is not a photo question with 422 naming it', async () => {
    const response = await requestTicket(t, surveyId, {
      byteSize: 10,
      questionId: 'general_comments',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<{ message: string }>().message).toContain('general_comments');
  });

  it('rejects an unknown question with 422', async () => {
    const response = await requestTicket(t, surveyId, {
      byteSize: 10,
      questionId: 'no_such_question',
    });
    expect(response.statusCode).toBe(422);
  });

  it('answers an unknown survey with 404', async () => {
    const response = await requestTicket(t, '0190a0b0-0000-7000-8000-000000000000', {
      byteSize: 10,
    });
    expect(response.statusCode).toBe(404);
  });

  it('forbids a viewer with 403', async () => {
    const response = await requestTicket(t, surveyId, { byteSize: 10 }, t.tokens.viewer);
    expect(response.statusCode).toBe(403);
  });

  it('lets a manager upload to an inspector survey', async () => {
    const response = await requestTicket(t, surveyId, { byteSize: 10 }, t.tokens.manager);
    expect(response.statusCode).toBe(201);
  });

  it('needs an access token', async () => {
    const response = await t.request('POST', `/v1/surveys/${surveyId}/media/uploads`, {
      body: { fileName: 'a.jpg', contentType: 'image/jpeg', byteSize: 10 },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('PUT /v1/blobs/upload', () => {
  it('stores the bytes and marks the media uploaded', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    const response = await putBytes(t, ticket.upload.url, jpeg);
    expect(response.statusCode).toBe(200);
    expect(response.json<{ media: MediaView }>().media).toMatchObject({
      status: 'uploaded',
      byteSize: jpeg.length,
    });
  });

  it('rejects a second upload to the same link with 409', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    await putBytes(t, ticket.upload.url, jpeg);
    const second = await putBytes(t, ticket.upload.url, jpeg);
    expect(second.statusCode).toBe(409);
    expect(second.json<{ code: string }>().code).toBe('INVALID_STATE');
  });

  it('emits media.uploaded once per upload', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    await putBytes(t, ticket.upload.url, jpeg);
    await putBytes(t, ticket.upload.url, jpeg);
    const events = await t.running.platform.db
      .selectFrom('outbox_events')
      .select('id')
      .where('topic', '=', 'media.uploaded')
      .where(sql<string>`payload->>'mediaId'`, '=', ticket.media.id)
      .execute();
    expect(events).toHaveLength(1);
  });

  it('answers an expired link with 410', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    const key = new URL(ticket.upload.url).searchParams.get('key') ?? '';
    const expiresAt = Math.floor(Date.now() / 1000) - 60;
    const query = signGrant(t.config.secret, {
      operation: 'put',
      key,
      maxBytes: jpeg.length,
      expiresAt,
    });
    const response = await putBytes(t, `http://localhost/v1/blobs/upload?${query}`, jpeg);
    expect(response.statusCode).toBe(410);
    expect(response.json<{ code: string }>().code).toBe('SIGNED_URL_EXPIRED');
  });

  describe('with a tampered link', () => {
    let ticket: UploadTicketView;

    beforeAll(async () => {
      ticket = await createTicket(t, surveyId, { byteSize: 1000 });
    });

    it.each([
      [
        'signature',
        (url: string) => replaceParam(url, 'sig', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      ],
      [
        'key',
        (url: string) => replaceParam(url, 'key', `${new URL(url).searchParams.get('key')}x`),
      ],
      ['maximum size', (url: string) => replaceParam(url, 'max', String(jpeg.length))],
      [
        'expiry',
        (url: string) => replaceParam(url, 'exp', String(Math.floor(Date.now() / 1000) + 86_400)),
      ],
      ['missing signature', (url: string) => url.replace(/&sig=[^&]+/, '')],
    ])('rejects a changed %s with 403', async (_name, tamper) => {
      const response = await putBytes(t, tamper(ticket.upload.url), jpeg.subarray(0, 1000));
      expect(response.statusCode).toBe(403);
      expect(response.json<{ code: string }>().code).toBe('SIGNED_URL_INVALID');
    });

    it('leaves the media awaiting its upload', async () => {
      await putBytes(t, replaceParam(ticket.upload.url, 'max', String(jpeg.length)), jpeg);
      expect(await mediaStatus(ticket.media.id)).toBe('awaiting_upload');
    });
  });

  describe('with a body over the signed maximum', () => {
    let ticket: UploadTicketView;
    const prefix = (): string => `originals/${t.demo.orgId}/${surveyId}/${ticket.media.id}`;

    beforeAll(async () => {
      ticket = await createTicket(t, surveyId, { byteSize: 1000 });
    });

    it('rejects a declared length above it with 413', async () => {
      const response = await putBytes(t, ticket.upload.url, jpeg);
      expect(response.statusCode).toBe(413);
    });

    it('rejects a streamed body that passes it with 413', async () => {
      const response = await t.app.inject({
        method: 'PUT',
        url: pathOf(ticket.upload.url),
        headers: { 'content-type': 'image/jpeg' },
        payload: Readable.from([jpeg.subarray(0, 800), jpeg.subarray(800, 1600)]),
      });
      expect(response.statusCode).toBe(413);
    });

    it('answers 413 over HTTP while a chunked body is still arriving', async () => {
      const status = await putChunked(ticket.upload.url, [
        jpeg.subarray(0, 800),
        jpeg.subarray(800, 1600),
        jpeg.subarray(1600, 2400),
      ]);
      expect(status).toBe(413);
    });

    it('leaves no file in the blob store', async () => {
      expect(await listBlobFiles(t, prefix())).toEqual([]);
    });

    it('leaves the media row unchanged', async () => {
      expect(await mediaStatus(ticket.media.id)).toBe('awaiting_upload');
    });
  });

  it.each(['text/plain', 'application/json', 'application/pdf'])(
    'rejects a %s body with 415',
    async (contentType) => {
      const ticket = await createTicket(t, surveyId, { byteSize: 10 });
      const response = await putBytes(t, ticket.upload.url, Buffer.from('{"a":1}'), contentType);
      expect(response.statusCode).toBe(415);
    },
  );

  it('accepts application/octet-stream', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    const response = await putBytes(t, ticket.upload.url, jpeg, 'application/octet-stream');
    expect(response.statusCode).toBe(200);
  });

  it('rejects a download link used for an upload with 403', async () => {
    const ticket = await createTicket(t, surveyId, { byteSize: jpeg.length });
    const key = new URL(ticket.upload.url).searchParams.get('key') ?? '';
    const download = t.running.platform.signUrl({ operation: 'get', key });
    const response = await putBytes(t, download.url.replace('/download', '/upload'), jpeg);
    expect(response.statusCode).toBe(403);
  });
});

describe('POST /v1/surveys/:surveyId/media', () => {
  it('stores a file part and returns 201', async () => {
    const response = await postMultipart(t, surveyId, [
      { name: 'questionId', value: PHOTO_QUESTION },
      { name: 'file', value: jpeg, fileName: 'crack.jpg', contentType: 'image/jpeg' },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<{ media: MediaView }>().media).toMatchObject({
      status: 'uploaded',
      questionId: PHOTO_QUESTION,
      byteSize: jpeg.length,
      fileName: 'crack.jpg',
    });
  });

  it('rejects a file part that is not an accepted image type with 415', async () => {
    const response = await postMultipart(t, surveyId, [
      { name: 'file', value: 'hello', fileName: 'a.txt', contentType: 'text/plain' },
    ]);
    expect(response.statusCode).toBe(415);
  });

  it('rejects a JSON body with 415', async () => {
    const response = await t.request('POST', `/v1/surveys/${surveyId}/media`, {
      token: t.tokens.inspector,
      body: { file: 'AAAA' },
    });
    expect(response.statusCode).toBe(415);
  });

  it('rejects a raw image body with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/surveys/${surveyId}/media`,
      headers: { authorization: `Bearer ${t.tokens.inspector}`, 'content-type': 'image/jpeg' },
      payload: jpeg,
    });
    expect(response.statusCode).toBe(415);
  });

  it.each([
    ['no file part', [{ name: 'questionId', value: PHOTO_QUESTION }], 'body.file'],
    [
      'a file part with another name',
      [{ name: 'photo', value: jpegStart, fileName: 'a.jpg', contentType: 'image/jpeg' }],
      'body.photo',
    ],
    [
      'an invalid questionId',
      [
        { name: 'questionId', value: '1 bad id' },
        { name: 'file', value: jpegStart, fileName: 'a.jpg', contentType: 'image/jpeg' },
      ],
      'body.questionId',
    ],
    [
      'an unknown field',
      [
        { name: 'caption', value: 'x' },
        { name: 'file', value: jpegStart, fileName: 'a.jpg', contentType: 'image/jpeg' },
      ],
      'body.caption',
    ],
  ])('rejects %s with 400 naming the field', async (_name, parts, field) => {
    const response = await postMultipart(t, surveyId, parts);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });

  it('rejects a non-photo question with 422', async () => {
    const response = await postMultipart(t, surveyId, [
      { name: 'questionId', value: 'general_comments' },
      { name: 'file', value: jpeg, fileName: 'a.jpg', contentType: 'image/jpeg' },
    ]);
    expect(response.statusCode).toBe(422);
  });

  describe('with a file over the upload limit', () => {
    let response: Awaited<ReturnType<typeof postMultipart>>;
    let before: number;

    beforeAll(async () => {
      const big = Buffer.concat([jpeg, Buffer.alloc(4 * 1024 * 1024)]);
      before = await countMedia(t, surveyId);
      response = await postMultipart(t, surveyId, [
        { name: 'file', value: big, fileName: 'big.jpg', contentType: 'image/jpeg' },
      ]);
    });

    it('answers 413', () => {
      expect(response.statusCode).toBe(413);
    });

    it('creates no media row', async () => {
      expect(await countMedia(t, surveyId)).toBe(before);
    });

    it('leaves no partial file', async () => {
      const files = await listBlobFiles(t, `originals/${t.demo.orgId}/${surveyId}`);
      expect(files.filter((file) => file.endsWith('.part'))).toEqual([]);
    });
  });
});

describe('upload rules shared by both routes', () => {
  it("answers another organisation's survey with 404 and stores nothing", async () => {
    const otherSurvey = await createSurvey(t, 'other');
    const ticket = await requestTicket(t, otherSurvey, { byteSize: jpeg.length });
    const multipart = await postMultipart(t, otherSurvey, [
      { name: 'file', value: jpeg, fileName: 'a.jpg', contentType: 'image/jpeg' },
    ]);
    expect([ticket.statusCode, multipart.statusCode]).toEqual([404, 404]);
    expect(await countMedia(t, otherSurvey)).toBe(0);
    expect(await listBlobFiles(t, `originals/${t.other.orgId}`)).toEqual([]);
  });

  it.each(['submitted', 'reviewed'] as const)(
    'rejects uploads to a %s survey with 409',
    async (status) => {
      const closed = await createSurvey(t);
      await setSurveyStatus(t, closed, status);
      const ticket = await requestTicket(t, closed, { byteSize: jpeg.length });
      const multipart = await postMultipart(t, closed, [
        { name: 'file', value: jpeg, fileName: 'a.jpg', contentType: 'image/jpeg' },
      ]);
      expect([ticket.statusCode, multipart.statusCode]).toEqual([409, 409]);
      expect(await countMedia(t, closed)).toBe(0);
    },
  );

  it('rejects a signed upload completed after the survey was submitted with 409', async () => {
    const closing = await createSurvey(t);
    const ticket = await createTicket(t, closing, { byteSize: jpeg.length });
    await setSurveyStatus(t, closing, 'submitted');
    const response = await putBytes(t, ticket.upload.url, jpeg);
    expect(response.statusCode).toBe(409);
    expect(await listBlobFiles(t, `originals/${t.demo.orgId}/${closing}`)).toEqual([]);
  });

  it('forbids an inspector who is not assigned to the survey', async () => {
    const login = await t.request('POST', '/v1/users', {
      token: t.tokens.admin,
      body: {
        email: 'second.inspector@northwind.example',
        name: 'Second Inspector',
        role: 'inspector',
        password: 'another-inspector-pass',
      },
    });
    expect(login.statusCode, login.body).toBe(201);
    const session = await t.request('POST', '/v1/auth/login', {
      body: { email: 'second.inspector@northwind.example', password: 'another-inspector-pass' },
    });
    const token = session.json<{ accessToken: string }>().accessToken;
    const response = await requestTicket(t, surveyId, { byteSize: 10 }, token);
    expect(response.statusCode).toBe(403);
  });
});

describe('GET /v1/surveys/:surveyId/media', () => {
  it('lists the photos of a survey for a viewer', async () => {
    const response = await t.request('GET', `/v1/surveys/${surveyId}/media`, {
      token: t.tokens.viewer,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<MediaView[]>().length).toBeGreaterThan(0);
  });

  it('answers another organisation with 404', async () => {
    const response = await t.request('GET', `/v1/surveys/${surveyId}/media`, {
      token: t.otherTokens.manager,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /v1/media/:id', () => {
  let mediaId: string;

  beforeAll(async () => {
    mediaId = (await createTicket(t, surveyId, { byteSize: 10 })).media.id;
  });

  it.each(['viewer', 'manager', 'inspector'] as const)('shows a photo to the %s', async (role) => {
    const response = await t.request('GET', `/v1/media/${mediaId}`, { token: t.tokens[role] });
    expect(response.statusCode).toBe(200);
  });

  it('answers another organisation with 404', async () => {
    const response = await t.request('GET', `/v1/media/${mediaId}`, { token: t.otherTokens.admin });
    expect(response.statusCode).toBe(404);
  });
});
