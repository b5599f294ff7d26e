import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoCompressor } from '../src/data/compression.ts';
import type { Device } from '../src/data/device.ts';
import {
  ActionError,
  addPhoto,
  refreshFromServer,
  removePhoto,
  retryFailed,
  syncNow,
} from '../src/data/index.ts';
import { pushMutations } from '../src/data/push.ts';
import { CHUNK_SIZE_SETTING } from '../src/data/uploads.ts';
import { createTestDevice, settingsOf } from './support/devices.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { seedSurvey } from './support/fixtures.ts';
import {
  assignSurvey,
  createInspectorDevices,
  questionsOfType,
  startServer,
  storeSurvey,
  type RunningServer,
} from './support/server.ts';

const PHOTOS = join(import.meta.dirname, '../../server/fixtures/photos');
const GPS_JPEG = 'electrical_panel_breakers_pixel3_4032x3024_orient6.jpg';
const SMALL_JPEG = 'fire_sprinkler_head_closeup.jpg';
const CHUNK_BYTES = 64 * 1024;

async function photoFile(name: string, type = 'image/jpeg'): Promise<File> {
  return new File([await readFile(join(PHOTOS, name))], name, { type });
}

describe('addPhoto on the device', () => {
  let device: Device;
  let surveyId: string;

  beforeEach(async () => {
    device = createTestDevice();
    surveyId = await seedSurvey(device);
  });

  it('rejects a file that is not a photo, naming it', async () => {
    const file = new File(['plain text'], 'notes.txt', { type: 'text/plain' });
    const error = await addPhoto(surveyId, 'door_photo', file).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).message).toMatch(/^notes\.txt is not a photo/);
    expect(await device.db.photos.count()).toBe(0);
  });

  it('rejects a photo over 30 MiB, naming it', async () => {
    const file = new File([new Uint8Array(31 * 1024 * 1024)], 'huge.jpg', { type: 'image/jpeg' });

    await expect(addPhoto(surveyId, 'door_photo', file)).rejects.toThrow(
      /^huge\.jpg is 31\.0 MiB: photos may be at most 30 MiB$/,
    );
  });

  it('rejects an empty file, naming it', async () => {
    const file = new File([], 'blank.jpg', { type: 'image/jpeg' });
    const error = await addPhoto(surveyId, 'door_photo', file).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).message).toMatch(/^blank\.jpg is empty \(0 bytes\)/);
    expect((error as ActionError).field).toBe('door_photo');
    expect(await device.db.photos.count()).toBe(0);
  });

  it('rejects a question that does not take photos', async () => {
    await expect(
      addPhoto(surveyId, 'door_clear', await photoFile(SMALL_JPEG)),
    ).rejects.toMatchObject({ code: 'question_type', field: 'door_clear' });
  });

  it('reads capture time and GPS from the original', async () => {
    const id = await addPhoto(surveyId, 'door_photo', await photoFile(GPS_JPEG));

    const photo = await device.db.photos.get(id);
    expect(photo?.capturedAt).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|\.\d{3}Z|[+-]\d{2}:\d{2})$/,
    );
    expect(photo?.latitude).toEqual(expect.any(Number));
    expect(photo?.longitude).toEqual(expect.any(Number));
  });

  it('adds the photo to the answer, waiting for its upload', async () => {
    const first = await addPhoto(surveyId, 'door_photo', await photoFile(SMALL_JPEG));
    const second = await addPhoto(surveyId, 'door_photo', await photoFile(SMALL_JPEG));

    const answer = await device.db.answers.get([surveyId, 'door_photo']);
    const mutations = await device.db.mutations.toArray();
    expect(answer?.value).toEqual([first, second]);
    expect(mutations).toHaveLength(1);
    expect(mutations[0]?.waitsForMedia).toEqual([first, second]);
    expect((await device.db.photos.get(first))?.status).toBe('waiting');
  });

  it('keeps the original of a photo the browser cannot decode', async () => {
    const file = await photoFile(SMALL_JPEG);
    const id = await addPhoto(surveyId, 'door_photo', file);

    const photo = await device.db.photos.get(id);
    expect(photo?.byteSize).toBe(file.size);
    expect(photo?.thumbnail).toBeNull();
    expect(photo?.fileName).toBe(SMALL_JPEG);
  });

  it('stores the compressed copy and thumbnail', async () => {
    const compressor: PhotoCompressor = {
      compress: () =>
        Promise.resolve({
          blob: new Blob([new Uint8Array(1000)], { type: 'image/jpeg' }),
          thumbnail: new Blob([new Uint8Array(100)], { type: 'image/jpeg' }),
          width: 2048,
          height: 1536,
        }),
    };
    const compressing = createTestDevice({ compressor });
    const otherSurvey = await seedSurvey(compressing);
    const file = await photoFile('kitchen_room_interior_orient6.heic', 'image/heic');
    const id = await addPhoto(otherSurvey, 'door_photo', file);

    const photo = await compressing.db.photos.get(id);
    expect(photo).toMatchObject({
      fileName: 'kitchen_room_interior_orient6.jpg',
      contentType: 'image/jpeg',
      byteSize: 1000,
      originalByteSize: file.size,
      width: 2048,
      height: 1536,
    });
    expect(photo?.thumbnail?.size).toBe(100);
  });

  it('removePhoto takes the photo out of the answer', async () => {
    const first = await addPhoto(surveyId, 'door_photo', await photoFile(SMALL_JPEG));
    const second = await addPhoto(surveyId, 'door_photo', await photoFile(SMALL_JPEG));
    await removePhoto(first);

    const answer = await device.db.answers.get([surveyId, 'door_photo']);
    const [mutation] = await device.db.mutations.toArray();
    expect(answer?.value).toEqual([second]);
    expect(mutation?.waitsForMedia).toEqual([second]);
    expect(await device.db.photos.get(first)).toBeUndefined();
  });
});

describe('photo uploads', () => {
  let server: RunningServer;
  let proxy: FaultProxy;
  let proxyUrl: string;
  let photoQuestion: string;
  const inspectorDevice = createInspectorDevices();
  let device: Device;
  let surveyId: string;

  beforeAll(async () => {
    server = await startServer();
    proxy = new FaultProxy(server.baseUrl);
    proxyUrl = await proxy.start();
    photoQuestion = (await questionsOfType(server, 'photo'))[0] ?? '';
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  beforeEach(async () => {
    proxy.rules.length = 0;
    proxy.log.length = 0;
    proxy.beforeForward = null;
    device = await inspectorDevice({
      baseUrl: proxyUrl,
      settings: settingsOf({ [CHUNK_SIZE_SETTING]: String(CHUNK_BYTES) }),
    });
    surveyId = await assignSurvey(server.t);
    await storeSurvey(server, device, surveyId);
  });

  async function serverAnswer(): Promise<unknown> {
    const view = await server.t.request('GET', `/v1/surveys/${surveyId}`, {
      token: server.t.tokens.manager,
    });
    const answers = view.json<{ answers: { questionId: string; value: unknown }[] }>().answers;
    return answers.find((answer) => answer.questionId === photoQuestion)?.value;
  }

  async function serverMediaStatus(id: string): Promise<number> {
    return (await server.t.request('GET', `/v1/media/${id}`, { token: server.t.tokens.manager }))
      .statusCode;
  }

  it('holds the photo answer until the upload, then sends both', async () => {
    const file = await photoFile(SMALL_JPEG);
    const id = await addPhoto(surveyId, photoQuestion, file);
    await pushMutations(device);
    expect(proxy.requestsTo('POST', '/v1/sync/push')).toHaveLength(0);

    await syncNow();

    const patches = proxy.requestsTo('PATCH', '/v1/uploads');
    expect(patches.length).toBe(Math.ceil(file.size / CHUNK_BYTES));
    expect((await device.db.photos.get(id))?.status).toBe('uploaded');
    expect(await device.db.mutations.count()).toBe(0);
    expect(await serverAnswer()).toEqual([id]);
    expect(await serverMediaStatus(id)).toBe(200);
  });

  it('previews photos taken on another device', async () => {
    const id = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    await syncNow();
    expect(await serverAnswer()).toEqual([id]);

    const other = await inspectorDevice({ baseUrl: server.baseUrl });
    await refreshFromServer();

    expect(await other.db.photos.get(id)).toBeUndefined();
    expect((await other.db.media.get(id))?.surveyId).toBe(surveyId);
  });

  it('resumes a cut upload from the stored offset', async () => {
    const file = await photoFile(SMALL_JPEG);
    const id = await addPhoto(surveyId, photoQuestion, file);
    let patches = 0;
    proxy.beforeForward = (method) => {
      if (method !== 'PATCH') return Promise.resolve();
      patches += 1;
      if (patches === 2) proxy.failNext('PATCH', '/v1/uploads', 503);
      return Promise.resolve();
    };
    await syncNow();

    const cut = await device.db.photos.get(id);
    expect(cut?.status).toBe('waiting');
    expect(cut?.uploadUrl).toMatch(/\/v1\/uploads\//);
    expect(cut?.bytesUploaded).toBe(2 * CHUNK_BYTES);

    proxy.beforeForward = null;
    await device.db.photos.update(id, { nextAttemptAt: 0 });
    await syncNow();

    const sentBytes = proxy
      .requestsTo('PATCH', '/v1/uploads')
      .filter((entry) => entry.status === 204)
      .reduce((total, entry) => total + entry.requestBytes, 0);
    expect(proxy.requestsTo('HEAD', '/v1/uploads')).toHaveLength(1);
    expect(sentBytes).toBe(file.size);
    expect((await device.db.photos.get(id))?.status).toBe('uploaded');
  });

  it('starts afresh with the same media id when the server forgot the upload', async () => {
    const id = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    await device.db.photos.update(id, {
      uploadUrl: `${proxyUrl}/v1/uploads/0190f0a0444470008000000000000001`,
      bytesUploaded: CHUNK_BYTES,
    });
    await syncNow();

    expect((await device.db.photos.get(id))?.status).toBe('uploaded');
    expect(await serverMediaStatus(id)).toBe(200);
  });

  it('counts MEDIA_ALREADY_UPLOADED as uploaded', async () => {
    const id = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    await syncNow();
    await device.db.photos.update(id, { status: 'waiting', uploadUrl: null, bytesUploaded: 0 });
    proxy.log.length = 0;
    await syncNow();

    const created = proxy.requestsTo('POST', '/v1/uploads');
    expect(created.map((entry) => entry.status)).toEqual([409]);
    expect((await device.db.photos.get(id))?.status).toBe('uploaded');
  });

  it('fails a photo the server refuses, with its message', async () => {
    const id = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    await device.db.photos.update(id, { contentType: 'image/gif' });
    await syncNow();

    const photo = await device.db.photos.get(id);
    expect(photo?.status).toBe('failed');
    expect(photo?.error).toMatch(/gif/);
    expect(await device.db.mutations.count()).toBe(1);
  });

  it('takes a refused photo out of its answer', async () => {
    const good = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    const empty = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    // A 0-byte file stored before the device checked for them.
    await device.db.photos.update(empty, { blob: new Blob([]), byteSize: 0 });
    await syncNow();

    const refused = await device.db.photos.get(empty);
    const answer = await device.db.answers.get([surveyId, photoQuestion]);
    expect(refused?.status).toBe('failed');
    expect(refused?.error).toBeTruthy();
    expect(answer?.value).toEqual([good]);
    expect(await serverAnswer()).toEqual([good]);
    expect(await device.db.mutations.count()).toBe(0);

    await retryFailed();
    expect((await device.db.photos.get(empty))?.status).toBe('failed');
  });

  it('removes a refused photo without queueing an edit', async () => {
    const id = await addPhoto(surveyId, photoQuestion, await photoFile(SMALL_JPEG));
    await device.db.photos.update(id, { contentType: 'image/gif' });
    await syncNow();
    await syncNow();
    await removePhoto(id);

    expect(await device.db.photos.get(id)).toBeUndefined();
    expect(await device.db.mutations.count()).toBe(0);
  });
});
