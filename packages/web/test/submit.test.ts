import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/data/device.ts';
import { ActionError, setAnswer, submitSurvey } from '../src/data/index.ts';
import { sendSubmissions } from '../src/data/submissions.ts';
import { createTestDevice } from './support/devices.ts';
import { seedSurvey } from './support/fixtures.ts';

let device: Device;
let surveyId: string;

beforeEach(async () => {
  device = createTestDevice();
  surveyId = await seedSurvey(device);
});

async function submitError(): Promise<ActionError> {
  const error = await submitSurvey(surveyId).catch((caught: unknown) => caught);
  if (!(error instanceof ActionError)) throw new Error('submitSurvey did not refuse');
  return error;
}

describe('submitSurvey', () => {
  it('names the first required question without an answer', async () => {
    const error = await submitError();

    expect(error.code).toBe('required');
    expect(error.message).toBe('Access: Is the door free of obstructions? needs an answer');
    expect(error.field).toBe('door_clear');
  });

  it('names a required question that an answer made visible', async () => {
    await setAnswer(surveyId, 'door_clear', 'no');
    await setAnswer(surveyId, 'valves_open', 'yes');
    const error = await submitError();

    expect(error.message).toBe('Access: What blocks the door? needs an answer');
    expect(error.field).toBe('obstruction');
  });

  it('names the next section once the first is complete', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');

    expect((await submitError()).message).toBe('Valves: Are all valves open? needs an answer');
  });

  it('treats a blank text answer as missing', async () => {
    await setAnswer(surveyId, 'door_clear', 'no');
    await setAnswer(surveyId, 'obstruction', '   ');
    await setAnswer(surveyId, 'valves_open', 'yes');

    expect((await submitError()).field).toBe('obstruction');
  });

  it('queues a complete survey and closes it for edits', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    await setAnswer(surveyId, 'valves_open', 'na');
    await submitSurvey(surveyId);

    const submission = await device.db.submissions.get(surveyId);
    const survey = await device.db.surveys.get(surveyId);
    expect(submission).toMatchObject({ status: 'waiting', attempts: 0 });
    expect(survey?.submitQueuedAt).toBe(submission?.queuedAt);
    await expect(setAnswer(surveyId, 'pressure', 4)).rejects.toMatchObject({
      code: 'survey_closed',
    });
  });

  it('refuses a survey whose template is not on the device', async () => {
    await device.db.templates.clear();

    expect((await submitError()).code).toBe('template_missing');
  });
});

describe('sendSubmissions', () => {
  it('holds a submission while its answers wait to sync', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    await setAnswer(surveyId, 'valves_open', 'yes');
    await submitSurvey(surveyId);

    // The device's server address leads nowhere, so any request would fail.
    expect(await sendSubmissions(device)).toBe(0);
    expect(await device.db.submissions.get(surveyId)).toMatchObject({
      status: 'waiting',
      attempts: 0,
    });
  });

  it('holds a submission while a photo waits to upload', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    await setAnswer(surveyId, 'valves_open', 'yes');
    await submitSurvey(surveyId);
    await device.db.mutations.clear();
    await device.db.photos.put({
      id: '0190f0a0-3333-7000-8000-000000000001',
      surveyId,
      questionId: 'door_photo',
      fileName: 'door.jpg',
      contentType: 'image/jpeg',
      blob: new Blob([new Uint8Array(10)]),
      thumbnail: null,
      width: null,
      height: null,
      byteSize: 10,
      originalByteSize: 10,
      capturedAt: null,
      latitude: null,
      longitude: null,
      createdAt: new Date().toISOString(),
      status: 'waiting',
      bytesUploaded: 0,
      uploadUrl: null,
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
    });

    expect(await sendSubmissions(device)).toBe(0);
  });
});
