import { validateAnswer, type AnswerValue, type Question } from '@avior/contract';
import { v7 as uuidv7 } from 'uuid';
import type { AviorDatabase, LocalAnswer, QueuedMutation } from './db.ts';
import type { Device } from './device.ts';
import { ActionError } from './errors.ts';

// The outgoing queue of answer edits (table `mutations`).
//
// Every edit writes the answer row (dirty = 1) and a queued mutation in one transaction, with a
// fresh HLC stamp and a UUIDv7 client mutation id that the server uses to apply it only once.
// A mutation's status is
//   waiting   in the queue; sent when `nextAttemptAt` has passed and every photo in
//             `waitsForMedia` is uploaded,
//   failed    gave up after MAX_ATTEMPTS transient failures; retryFailed() puts it back,
//   rejected  the server rejected it for good (its message is in `error`).
// A mutation leaves the queue when the server has it (applied, duplicate or superseded).
//
// Coalescing: a new edit of a question replaces the value and stamp of that question's newest
// waiting mutation, instead of adding one, as long as that mutation was never sent. A mutation
// that was sent (attempts > 0, or inside a running push) may already be on the server under its
// id, so a later value gets a new mutation of its own.

export interface AnswerFields {
  readonly value: AnswerValue | null;
  readonly note: string | null;
}

/** Computes the new answer from the current row (undefined when the question has none). */
export type AnswerUpdate = (current: LocalAnswer | undefined) => AnswerFields;

/** Saves an answer on the device and queues it; see the module comment. */
export async function queueAnswer(
  device: Device,
  surveyId: string,
  questionId: string,
  update: AnswerUpdate,
): Promise<void> {
  const question = await findEditableQuestion(device.db, surveyId, questionId);
  const clock = await device.clock();
  const { db } = device;

  await db.transaction('rw', [db.answers, db.mutations, db.photos, db.meta], async () => {
    const next = checkAnswer(question, update(await db.answers.get([surveyId, questionId])));
    const hlc = clock.tick();
    const now = new Date(clock.now()).toISOString();
    const waitsForMedia = await listPhotosNotUploaded(db, next.value);

    await db.meta.put({ key: 'hlc', value: hlc });
    await db.answers.put({ surveyId, questionId, ...next, hlc, updatedAt: now, dirty: 1 });

    const target = await findCoalesceTarget(device, surveyId, questionId);
    if (target) {
      await db.mutations.update(target.id, { ...next, hlc, waitsForMedia });
      return;
    }
    await db.mutations.add({
      id: uuidv7(),
      kind: 'answer.set',
      surveyId,
      questionId,
      ...next,
      hlc,
      createdAt: now,
      status: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
      waitsForMedia,
    });
  });
  device.notifyLocalWrite();
}

/**
 * Returns the question when the survey may be edited on the device, or null when its template
 * is not on the device (the server then checks the value alone).
 */
async function findEditableQuestion(
  db: AviorDatabase,
  surveyId: string,
  questionId: string,
): Promise<Question | null> {
  const survey = await db.surveys.get(surveyId);
  if (!survey) {
    throw new ActionError('survey_missing', `Survey ${surveyId} is not on this device`);
  }
  if (survey.submitQueuedAt || survey.status === 'submitted' || survey.status === 'reviewed') {
    throw new ActionError(
      'survey_closed',
      `Survey of ${survey.facility.name} is submitted and can no longer be changed`,
      questionId,
    );
  }

  const template = await db.templates.get(survey.template.id);
  if (!template) return null;

  const question = template.definition.sections
    .flatMap((section) => section.questions)
    .find((candidate) => candidate.id === questionId);
  if (!question) {
    throw new ActionError(
      'question_missing',
      `Question ${questionId} is not in the template ${template.title}`,
      questionId,
    );
  }
  return question;
}

/** Throws unless the survey may be edited and the question, when known, takes photos. */
export async function assertPhotoQuestion(
  db: AviorDatabase,
  surveyId: string,
  questionId: string,
): Promise<void> {
  const question = await findEditableQuestion(db, surveyId, questionId);
  if (question && question.type !== 'photo') {
    throw new ActionError(
      'question_type',
      `${question.label} does not take photos (it is a ${question.type} question)`,
      questionId,
    );
  }
}

function checkAnswer(question: Question | null, fields: AnswerFields): AnswerFields {
  if (!question) return fields;

  const check = validateAnswer(question, fields.value);
  if (!check.ok) {
    throw new ActionError('answer_invalid', `${question.label}: ${check.message}`, question.id);
  }
  return { value: check.value, note: fields.note };
}

async function findCoalesceTarget(
  device: Device,
  surveyId: string,
  questionId: string,
): Promise<QueuedMutation | undefined> {
  const candidates = await device.db.mutations
    .where('surveyId')
    .equals(surveyId)
    .filter(
      (mutation) =>
        mutation.questionId === questionId &&
        mutation.status === 'waiting' &&
        mutation.attempts === 0 &&
        !device.inFlight.has(mutation.id),
    )
    .toArray();
  return candidates.sort(byQueueOrder).at(-1);
}

/** Compares two strings by UTF-16 code units, as ISO times and UUIDs sort. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Orders the queue oldest first. UUIDv7 ids break ties because they rise with time. */
export function byQueueOrder(a: QueuedMutation, b: QueuedMutation): number {
  return compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id);
}

/** Photo ids in an answer value whose photos are on the device and not uploaded yet. */
async function listPhotosNotUploaded(
  db: AviorDatabase,
  value: AnswerValue | null,
): Promise<string[]> {
  if (!Array.isArray(value) || value.length === 0) return [];

  const photos = await db.photos.bulkGet(value);
  return photos
    .filter((photo) => photo !== undefined && photo.status !== 'uploaded')
    .map((photo) => photo?.id ?? '');
}

/** Saves an answer; a note left undefined keeps the current note. */
export function setAnswer(
  device: Device,
  surveyId: string,
  questionId: string,
  value: AnswerValue | null,
  note?: string | null,
): Promise<void> {
  return queueAnswer(device, surveyId, questionId, (current) => ({
    value,
    note: note === undefined ? (current?.note ?? null) : note,
  }));
}

/** Saves only the note of an answer, keeping its value. */
export function setNote(
  device: Device,
  surveyId: string,
  questionId: string,
  note: string | null,
): Promise<void> {
  return queueAnswer(device, surveyId, questionId, (current) => ({
    value: current?.value ?? null,
    note,
  }));
}
