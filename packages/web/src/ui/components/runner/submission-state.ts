import type { LocalSurvey, QueuedSubmission } from '../../../data/index.ts';

export interface SubmissionState {
  /** True once submit was pressed on this device or the server has the survey as submitted. */
  submitted: boolean;
  /** "Submitted" or "Submitted, waiting to sync"; null while the survey is open. */
  label: string | null;
  /** Reason the last attempt to send the submission failed, or null. */
  error: string | null;
}

// A submission the server rejected (status failed, submitQueuedAt cleared) reopens the survey for
// correction. One that ran out of retries keeps submitQueuedAt and waits for a retry.

const OPEN: SubmissionState = { submitted: false, label: null, error: null };

/** Decides how to show a survey's submission from the server status and the local queue. */
export function describeSubmission(
  survey: LocalSurvey,
  submission: QueuedSubmission | null | undefined,
): SubmissionState {
  if (survey.status === 'reviewed') {
    return { submitted: true, label: 'Submitted and reviewed', error: null };
  }

  if (survey.status === 'submitted' || submission?.status === 'done') {
    return { submitted: true, label: 'Submitted', error: null };
  }

  const error = submission?.status === 'failed' ? submission.error : null;
  if (survey.submitQueuedAt || submission?.status === 'waiting') {
    return { submitted: true, label: 'Submitted, waiting to sync', error };
  }

  return error ? { submitted: false, label: null, error } : OPEN;
}
