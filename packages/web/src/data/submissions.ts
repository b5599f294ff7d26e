import {
  evaluateSurvey,
  type AnswerValue,
  type RiskLevel,
  type SurveyStatus,
} from '@avior/contract';
import type { QueuedSubmission } from './db.ts';
import type { Device } from './device.ts';
import { ActionError, ApiError, describeFailure, isRetryable } from './errors.ts';
import { scheduleRetry } from './retry.ts';

// Submissions (table `submissions`): pressing submit checks the survey on the device and queues
// the submission; the sync round sends it once the survey's answer edits and photos are all on
// the server, because the server evaluates the answers it has at that moment.
// Status: waiting -> done, or failed (409 or 422 from the server, or MAX_ATTEMPTS transient
// failures). A failed submission reopens the survey on the device so it can be corrected.

interface SubmitResponse {
  readonly status: SurveyStatus;
  readonly score: number;
  readonly riskLevel: RiskLevel;
  readonly flagCount: number;
}

/**
 * Queues the submission of a survey. Throws ActionError('required') naming the first visible
 * required question without an answer, in template order.
 */
export async function submitSurvey(device: Device, surveyId: string): Promise<void> {
  const { db } = device;
  const survey = await db.surveys.get(surveyId);
  if (!survey) throw new ActionError('survey_missing', `Survey ${surveyId} is not on this device`);
  if (survey.status === 'submitted' || survey.status === 'reviewed') {
    throw new ActionError(
      'survey_closed',
      `Survey of ${survey.facility.name} is already submitted`,
    );
  }

  const template = await db.templates.get(survey.template.id);
  if (!template) {
    throw new ActionError(
      'template_missing',
      `The checklist ${survey.template.title} is not on this device: sync while online first`,
    );
  }

  const rows = await db.answers.where('surveyId').equals(surveyId).toArray();
  const answers = new Map<string, AnswerValue>();
  for (const row of rows) if (row.value !== null) answers.set(row.questionId, row.value);

  const missing = evaluateSurvey(template.definition, answers).missingRequired[0];
  if (missing) {
    throw new ActionError(
      'required',
      `${missing.sectionTitle}: ${missing.label} needs an answer`,
      missing.questionId,
    );
  }

  const queuedAt = new Date(device.now()).toISOString();
  await db.transaction('rw', [db.submissions, db.surveys], async () => {
    await db.submissions.put({
      surveyId,
      status: 'waiting',
      queuedAt,
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
    });
    await db.surveys.update(surveyId, { submitQueuedAt: queuedAt });
  });
  device.notifyLocalWrite();
}

/** Sends due submissions whose surveys have nothing left to sync; returns how many were sent. */
export async function sendSubmissions(device: Device): Promise<number> {
  const now = device.now();
  const due = (await device.db.submissions.where('status').equals('waiting').toArray()).filter(
    (submission) => submission.nextAttemptAt <= now,
  );

  let sent = 0;
  for (const submission of due) {
    if (await hasUnsyncedWork(device, submission.surveyId)) continue;
    if (await sendOne(device, submission)) sent += 1;
  }
  return sent;
}

async function hasUnsyncedWork(device: Device, surveyId: string): Promise<boolean> {
  const { db } = device;
  const mutations = await db.mutations
    .where('surveyId')
    .equals(surveyId)
    .filter((mutation) => mutation.status !== 'rejected')
    .count();
  if (mutations > 0) return true;

  const photos = await db.photos
    .where('surveyId')
    .equals(surveyId)
    // A failed photo no longer blocks: one refused for good has left its answer, and one whose
    // retries ran out still holds back the answer edit that waits for it.
    .filter((photo) => photo.status !== 'uploaded' && photo.status !== 'failed')
    .count();
  return photos > 0;
}

async function sendOne(device: Device, submission: QueuedSubmission): Promise<boolean> {
  const { db } = device;
  const path = `/v1/surveys/${encodeURIComponent(submission.surveyId)}/submit`;
  let result: SubmitResponse;
  try {
    result = await device.api.post<SubmitResponse>(path, {});
  } catch (error) {
    await recordFailure(device, submission, error);
    return false;
  }

  await db.transaction('rw', [db.submissions, db.surveys], async () => {
    await db.submissions.update(submission.surveyId, { status: 'done', error: null });
    await db.surveys.update(submission.surveyId, {
      status: result.status,
      score: result.score,
      riskLevel: result.riskLevel,
      submittedAt: new Date(device.now()).toISOString(),
    });
  });
  return true;
}

async function recordFailure(
  device: Device,
  submission: QueuedSubmission,
  error: unknown,
): Promise<void> {
  const { db } = device;
  if (isRetryable(error)) {
    const retry = scheduleRetry(
      submission.attempts,
      device.now(),
      describeFailure(error),
      device.random,
    );
    await db.submissions.update(submission.surveyId, {
      status: retry.exhausted ? 'failed' : 'waiting',
      attempts: retry.attempts,
      nextAttemptAt: retry.nextAttemptAt,
      error: retry.error,
    });
    if (!retry.exhausted) throw error;
    return;
  }
  if (!(error instanceof ApiError)) throw error;

  await db.transaction('rw', [db.submissions, db.surveys], async () => {
    await db.submissions.update(submission.surveyId, {
      status: 'failed',
      attempts: submission.attempts + 1,
      error: error.message,
    });
    await db.surveys.update(submission.surveyId, { submitQueuedAt: null });
  });
}
