import 'fake-indexeddb/auto';
import { compareHlc } from '@avior/contract';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/data/device.ts';
import { ActionError, setAnswer, setNote } from '../src/data/index.ts';
import { createTestDevice } from './support/devices.ts';
import { seedSurvey } from './support/fixtures.ts';

let device: Device;
let surveyId: string;

beforeEach(async () => {
  device = createTestDevice();
  surveyId = await seedSurvey(device);
});

const mutationsOf = (questionId: string) =>
  device.db.mutations.filter((mutation) => mutation.questionId === questionId).toArray();

describe('setAnswer', () => {
  it('writes a dirty answer and a waiting mutation with the same stamp', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');

    const answer = await device.db.answers.get([surveyId, 'door_clear']);
    const [mutation] = await mutationsOf('door_clear');
    expect(answer?.dirty).toBe(1);
    expect(answer?.value).toBe('yes');
    expect(mutation?.status).toBe('waiting');
    expect(mutation?.hlc).toBe(answer?.hlc);
    expect(mutation?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('coalesces edits of one question into the newest waiting mutation', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    const [first] = await mutationsOf('door_clear');
    await setAnswer(surveyId, 'door_clear', 'no');
    await setAnswer(surveyId, 'door_clear', 'na');

    const mutations = await mutationsOf('door_clear');
    const answer = await device.db.answers.get([surveyId, 'door_clear']);
    expect(mutations).toHaveLength(1);
    expect(mutations[0]?.id).toBe(first?.id);
    expect(mutations[0]?.value).toBe('na');
    expect(mutations[0]?.hlc).toBe(answer?.hlc);
    expect(compareHlc(mutations[0]?.hlc ?? '', first?.hlc ?? '')).toBeGreaterThan(0);
  });

  it('keeps one mutation per question', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    await setAnswer(surveyId, 'valves_open', 'no');

    expect(await device.db.mutations.count()).toBe(2);
  });

  it('queues a new mutation after a sent one', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    const [sent] = await mutationsOf('door_clear');
    await device.db.mutations.update(sent?.id ?? '', { attempts: 1, nextAttemptAt: 0 });
    await setAnswer(surveyId, 'door_clear', 'no');

    const values = (await mutationsOf('door_clear')).map((mutation) => mutation.value);
    expect(values.sort()).toEqual(['no', 'yes']);
  });

  it('queues a new mutation beside one in flight', async () => {
    await setAnswer(surveyId, 'door_clear', 'yes');
    const [inFlight] = await mutationsOf('door_clear');
    device.inFlight.add(inFlight?.id ?? '');
    await setAnswer(surveyId, 'door_clear', 'no');

    const mutations = await mutationsOf('door_clear');
    expect(mutations).toHaveLength(2);
    expect(mutations.find((mutation) => mutation.id === inFlight?.id)?.value).toBe('yes');
  });

  it('issues rising stamps', async () => {
    const stamps: string[] = [];
    for (const questionId of ['door_clear', 'valves_open', 'pressure']) {
      await setAnswer(surveyId, questionId, questionId === 'pressure' ? 3 : 'yes');
      stamps.push((await device.db.answers.get([surveyId, questionId]))?.hlc ?? '');
    }

    expect([...stamps].sort(compareHlc)).toEqual(stamps);
    expect(new Set(stamps).size).toBe(3);
  });

  it('rejects a value the question does not allow, naming the question', async () => {
    const error = await setAnswer(surveyId, 'pressure', 42).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).field).toBe('pressure');
    expect((error as ActionError).message).toMatch(/^Pressure in bar: /);
    expect(await device.db.mutations.count()).toBe(0);
  });

  it('rejects a question missing from the template', async () => {
    await expect(setAnswer(surveyId, 'no_such_question', 'yes')).rejects.toMatchObject({
      code: 'question_missing',
      field: 'no_such_question',
    });
  });

  it('rejects edits of a submitted survey', async () => {
    const closed = await seedSurvey(device, { status: 'submitted' });

    await expect(setAnswer(closed, 'door_clear', 'yes')).rejects.toMatchObject({
      code: 'survey_closed',
    });
  });

  it('keeps the note when a note is not given', async () => {
    await setAnswer(surveyId, 'door_clear', 'no', 'Pallets in the way');
    await setAnswer(surveyId, 'door_clear', 'yes');

    expect((await device.db.answers.get([surveyId, 'door_clear']))?.note).toBe(
      'Pallets in the way',
    );
  });
});

describe('setNote', () => {
  it('keeps the value and queues the note', async () => {
    await setAnswer(surveyId, 'door_clear', 'no');
    await setNote(surveyId, 'door_clear', 'Cleared during the visit');

    const [mutation] = await mutationsOf('door_clear');
    expect(mutation?.value).toBe('no');
    expect(mutation?.note).toBe('Cleared during the visit');
  });
});
