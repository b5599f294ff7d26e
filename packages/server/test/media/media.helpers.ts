import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaView, UploadTicketView } from '@avior/contract';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from '../support/test-app.ts';

export const PHOTOS_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'photos');

/** A photo question of the seeded fire-protection template. */
export const PHOTO_QUESTION = 'intro_photo';

export function readPhoto(name: string): Promise<Buffer> {
  return readFile(join(PHOTOS_DIR, name));
}

/** Returns the path and query of an absolute signed link, for `app.inject`. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Assigns a new survey of the demo template to the demo inspector. */
export async function createSurvey(t: TestApp, org: 'demo' | 'other' = 'demo'): Promise<string> {
  const seeded = org === 'demo' ? t.demo : t.other;
  const tokens = org === 'demo' ? t.tokens : t.otherTokens;
  const response = await t.request('POST', '/v1/surveys', {
    token: tokens.manager,
    body: {
      facilityId: seeded.facilityIds[0],
      templateId: seeded.templateId,
      inspectorId: seeded.users.inspector.id,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

/** Sets a survey's status straight in the database, skipping the answers a submit needs. */
export async function setSurveyStatus(
  t: TestApp,
  surveyId: string,
  status: 'submitted' | 'reviewed',
): Promise<void> {
  await t.running.platform.db
    .updateTable('surveys')
    .set({ status })
    .where('id', '=', surveyId)
    .execute();
}

export interface TicketRequest {
  readonly fileName?: string;
  readonly contentType?: string;
  readonly byteSize: number;
  readonly questionId?: string;
}

export function requestTicket(
  t: TestApp,
  surveyId: string,
  body: TicketRequest,
  token = t.tokens.inspector,
): Promise<LightMyRequestResponse> {
  return t.request('POST', `/v1/surveys/${surveyId}/media/uploads`, {
    token,
    body: { fileName: 'photo.jpg', contentType: 'image/jpeg', ...body },
  });
}

export async function createTicket(
  t: TestApp,
  surveyId: string,
  body: TicketRequest,
): Promise<UploadTicketView> {
  const response = await requestTicket(t, surveyId, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<UploadTicketView>();
}

export function putBytes(
  t: TestApp,
  url: string,
  bytes: Buffer,
  contentType = 'image/jpeg',
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'PUT',
    url: pathOf(url),
    headers: { 'content-type': contentType },
    payload: bytes,
  });
}

/** Uploads `bytes` through a signed link and returns the media id. */
export async function uploadSigned(
  t: TestApp,
  surveyId: string,
  bytes: Buffer,
  fileName: string,
  contentType = 'image/jpeg',
): Promise<string> {
  const ticket = await createTicket(t, surveyId, { fileName, contentType, byteSize: bytes.length });
  const response = await putBytes(t, ticket.upload.url, bytes, contentType);
  expect(response.statusCode, response.body).toBe(200);
  return ticket.media.id;
}

export interface MultipartPart {
  readonly name: string;
  readonly value: string | Buffer;
  readonly fileName?: string;
  readonly contentType?: string;
}

/** Encodes parts as multipart/form-data (RFC 7578). */
export function multipartBody(parts: readonly MultipartPart[]): {
  payload: Buffer;
  contentType: string;
} {
  const boundary = '----avior-test-boundary-7d1f';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const fileName = part.fileName === undefined ? '' : `; filename="${part.fileName}"`;
    const type = part.contentType === undefined ? '' : `\r\ncontent-type: ${part.contentType}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"${fileName}${type}\r\n\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export function postMultipart(
  t: TestApp,
  surveyId: string,
  parts: readonly MultipartPart[],
  token = t.tokens.inspector,
): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipartBody(parts);
  return t.app.inject({
    method: 'POST',
    url: `/v1/surveys/${surveyId}/media`,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    payload,
  });
}

export async function getMedia(
  t: TestApp,
  mediaId: string,
  token = t.tokens.manager,
): Promise<MediaView> {
  const response = await t.request('GET', `/v1/media/${mediaId}`, { token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<MediaView>();
}

export async function countMedia(t: TestApp, surveyId: string): Promise<number> {
  const rows = await t.running.platform.db
    .selectFrom('media')
    .select('id')
    .where('survey_id', '=', surveyId)
    .execute();
  return rows.length;
}

/** Lists every file under a folder of the blob store, including partial writes. */
export async function listBlobFiles(t: TestApp, prefix: string): Promise<string[]> {
  const entries = await readdir(join(t.config.blobDir, prefix), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

export async function findingsOf(t: TestApp, mediaId: string) {
  return t.running.platform.db
    .selectFrom('findings')
    .select(['code', 'severity', 'message', 'evidence', 'source', 'question_id'])
    .where('media_id', '=', mediaId)
    .orderBy('code')
    .execute();
}

/** Returns the deliveries of the media.uploaded event of `mediaId` to the media.process group. */
export async function processDeliveries(t: TestApp, mediaId: string) {
  return t.running.platform.db
    .selectFrom('bus_deliveries as d')
    .innerJoin('outbox_events as e', 'e.id', 'd.event_id')
    .select(['d.status', 'd.attempts'])
    .where('d.group_name', '=', 'media.process')
    .where(sql<string>`e.payload->>'mediaId'`, '=', mediaId)
    .execute();
}

/** Returns the notifications.send payloads appended for one photo. */
export async function photoNotifications(t: TestApp, mediaId: string) {
  const rows = await t.running.platform.db
    .selectFrom('outbox_events')
    .select('payload')
    .where('topic', '=', 'notifications.send')
    .where(sql<string>`payload->'data'->>'mediaId'`, '=', mediaId)
    .execute();
  return rows.map(
    (row) => row.payload as { kind: string; title: string; body: string; userIds: string[] },
  );
}
