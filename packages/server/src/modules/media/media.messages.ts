import type { EventPayloads } from '@avior/contract';
import type { MediaRow } from '../../platform/db/schema.ts';
import type { QualityFinding, QualityFindingCode } from './media.findings.ts';

type Notification = EventPayloads['notifications.send'];

const PROBLEM_WORDS: Readonly<Record<QualityFindingCode, string>> = {
  blurry: 'blurry',
  under_exposed: 'too dark',
  over_exposed: 'too bright',
  too_small: 'too small',
  duplicate: 'a possible duplicate',
};

function photoData(media: MediaRow): Notification['data'] {
  return { mediaId: media.id, surveyId: media.survey_id, questionId: media.question_id };
}

/** Tells the uploader that a photo is ready, naming its quality problems if any. */
export function photoProcessedNotification(
  media: MediaRow,
  findings: readonly QualityFinding[],
): Notification {
  const problems = findings.map((finding) => PROBLEM_WORDS[finding.code]);
  const body =
    problems.length === 0
      ? `${media.file_name} is ready.`
      : `${media.file_name} is ready, but it is ${problems.join(', ')}. Consider retaking it.`;
  return {
    userIds: [media.uploaded_by],
    kind: 'photo.processed',
    title: 'Photo processed',
    body,
    data: { ...photoData(media), findings: findings.length },
  };
}

/** Tells the uploader that a photo was rejected and why, in the words of the image checks. */
export function photoFailedNotification(
  media: MediaRow,
  code: string,
  reason: string,
): Notification {
  return {
    userIds: [media.uploaded_by],
    kind: 'photo.failed',
    title: 'Photo could not be processed',
    body: `${media.file_name}: ${reason}`,
    data: { ...photoData(media), failureCode: code },
  };
}
