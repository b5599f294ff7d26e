import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaView } from '@avior/contract';
import { expect } from 'vitest';
import type { TestApp } from '../support/test-app.ts';
import { getMedia } from './media.helpers.ts';

/** A response read off a real HTTP connection. */
export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface TusRequest {
  readonly method: 'POST' | 'HEAD' | 'PATCH' | 'DELETE' | 'OPTIONS';
  readonly path: string;
  readonly token?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Leaves out Tus-Resumable, which every other request sends. */
  readonly withoutTusVersion?: boolean;
}

/** Makes the app listen on an ephemeral port of 127.0.0.1 and returns its port. */
export async function listenLocally(t: TestApp): Promise<number> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.server.address() as AddressInfo).port;
}

function requestHeaders(options: TusRequest): Record<string, string> {
  return {
    ...(options.withoutTusVersion ? {} : { 'tus-resumable': '1.0.0' }),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.body ? { 'content-length': String(options.body.length) } : {}),
    ...options.headers,
  };
}

/** Sends one tus request over real HTTP, as a tus client would. */
export async function sendTus(t: TestApp, options: TusRequest): Promise<HttpResult> {
  const port = await listenLocally(t);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: requestHeaders(options),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/**
 * Sends the headers and `sent` bytes of a PATCH whose body is `declaredLength` long, waits
 * until `isStored` reports that the server stored them, then destroys the socket as a dropped mobile
 * connection would.
 */
export async function sendCutPatch(
  t: TestApp,
  options: {
    readonly path: string;
    readonly token: string;
    readonly offset: number;
    readonly declaredLength: number;
    readonly sent: Buffer;
    readonly isStored: () => Promise<boolean>;
  },
): Promise<void> {
  const port = await listenLocally(t);
  const outgoing = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'PATCH',
    path: options.path,
    headers: {
      'tus-resumable': '1.0.0',
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(options.offset),
      'content-length': String(options.declaredLength),
    },
  });
  const closed = new Promise<void>((resolve) => outgoing.on('close', () => resolve()));
  outgoing.on('error', () => undefined);
  outgoing.write(options.sent);
  await waitFor(options.isStored, 20_000);
  outgoing.destroy();
  await closed;
}

/** Polls `condition` every 25 ms until it holds, failing after `timeoutMs`. */
export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Encodes Upload-Metadata: comma-separated `key base64value` pairs (tus creation). */
export function encodeMetadata(metadata: Readonly<Record<string, string>>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

/** Metadata of a JPEG for `surveyId`, with a fresh mediaId unless one is given. */
export function photoMetadata(
  surveyId: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    mediaId: crypto.randomUUID(),
    surveyId,
    filename: 'photo.jpg',
    filetype: 'image/jpeg',
    ...extra,
  };
}

/** Sends a creation request (POST /v1/uploads). */
export function createUpload(
  t: TestApp,
  options: {
    readonly token: string;
    readonly length: number | string;
    readonly metadata?: Readonly<Record<string, string>>;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: Buffer;
  },
): Promise<HttpResult> {
  return sendTus(t, {
    method: 'POST',
    path: '/v1/uploads',
    token: options.token,
    headers: {
      'upload-length': String(options.length),
      ...(options.metadata ? { 'upload-metadata': encodeMetadata(options.metadata) } : {}),
      ...(options.body ? { 'content-type': 'application/offset+octet-stream' } : {}),
      ...options.headers,
    },
    ...(options.body ? { body: options.body } : {}),
  });
}

/** Creates an upload and returns the path of its URL. */
export async function startUpload(
  t: TestApp,
  token: string,
  metadata: Readonly<Record<string, string>>,
  length: number,
): Promise<string> {
  const created = await createUpload(t, { token, length, metadata });
  expect(created.status, created.body).toBe(201);
  const location = created.headers.location;
  expect(location).toMatch(/^\/v1\/uploads\/[0-9a-f]{32}$/);
  return location as string;
}

export function patchUpload(
  t: TestApp,
  path: string,
  token: string,
  offset: number,
  chunk: Buffer,
  headers: Readonly<Record<string, string>> = {},
): Promise<HttpResult> {
  return sendTus(t, {
    method: 'PATCH',
    path,
    token,
    headers: {
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      ...headers,
    },
    body: chunk,
  });
}

export function headUpload(t: TestApp, path: string, token: string): Promise<HttpResult> {
  return sendTus(t, { method: 'HEAD', path, token });
}

/** Sends `bytes` in `parts` PATCH requests of about equal size, checking each offset. */
export async function patchInParts(
  t: TestApp,
  path: string,
  token: string,
  bytes: Buffer,
  parts: number,
): Promise<void> {
  const size = Math.ceil(bytes.length / parts);
  for (let offset = 0; offset < bytes.length; offset += size) {
    const chunk = bytes.subarray(offset, offset + size);
    const response = await patchUpload(t, path, token, offset, chunk);
    expect(response.status, response.body).toBe(204);
    expect(response.headers['upload-offset']).toBe(String(offset + chunk.length));
  }
}

/** Reads the bytes counter of resumable uploads from /metrics. */
export async function bytesReceived(t: TestApp): Promise<number> {
  const response = await t.request('GET', '/metrics');
  const match = /^avior_upload_bytes_received_total (\d+)/m.exec(response.body);
  return match ? Number(match[1]) : 0;
}

/** Waits for the worker, then returns the photo's view. */
export async function processedMedia(t: TestApp, mediaId: string): Promise<MediaView> {
  await t.drainBus();
  return getMedia(t, mediaId);
}

/** Reads the stored original of a photo from the blob store. */
export function readOriginal(t: TestApp, media: { orgId: string; surveyId: string; id: string }) {
  return readFile(join(t.config.blobDir, 'originals', media.orgId, media.surveyId, media.id));
}

/** Lists the files of one upload in the upload folder: its bytes and its JSON description. */
export async function uploadFiles(t: TestApp, uploadId: string): Promise<string[]> {
  const names = await readdir(t.config.uploadDir);
  return names.filter((name) => name === uploadId || name === `${uploadId}.json`);
}
