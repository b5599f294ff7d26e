import {
  ACCEPTED_IMAGE_TYPES,
  type AcceptedImageType,
  type TemplateDefinition,
} from '@avior/contract';
import type { Principal } from '../../gateway/auth.ts';
import type { SurveyStatus } from '../../platform/db/schema.ts';
import { AppError, invalidState } from '../../platform/errors/error-catalogue.ts';

/** The facts of a survey that decide who may add photos to it and read them. */
export interface SurveyAccess {
  readonly id: string;
  readonly status: SurveyStatus;
  readonly inspectorId: string;
  readonly definition: TemplateDefinition;
}

const CLOSED_STATUSES: ReadonlySet<SurveyStatus> = new Set(['submitted', 'reviewed']);

const ACCEPTED_LIST = ACCEPTED_IMAGE_TYPES.join(', ');

function isManager(principal: Principal): boolean {
  return principal.role === 'admin' || principal.role === 'manager';
}

/**
 * Returns whether `principal` may read the photos of `survey`. As in the surveys module, an
 * inspector may read only the surveys assigned to them, and other surveys return 404.
 */
export function mayReadSurvey(
  principal: Principal,
  survey: Pick<SurveyAccess, 'inspectorId'>,
): boolean {
  return principal.role !== 'inspector' || survey.inspectorId === principal.userId;
}

/**
 * Raises FORBIDDEN unless the caller is the survey's inspector, a manager or an admin, and
 * INVALID_STATE once the survey is submitted, because a report may already include its photos.
 */
export function assertMayAddPhotos(principal: Principal, survey: SurveyAccess): void {
  if (!isManager(principal) && survey.inspectorId !== principal.userId) {
    throw new AppError('FORBIDDEN', { role: principal.role, action: 'add photos to this survey' });
  }
  if (CLOSED_STATUSES.has(survey.status)) {
    throw invalidState(
      'Survey',
      survey.id,
      survey.status,
      'photos cannot be added after submission',
    );
  }
}

/** Returns whether a survey in `status` still takes new photos. */
export function surveyAcceptsPhotos(status: SurveyStatus): boolean {
  return !CLOSED_STATUSES.has(status);
}

/** Lower-cases a content type and drops its parameters: `Image/JPEG; q=1` is `image/jpeg`. */
export function normaliseContentType(raw: string): string {
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

/** Returns the accepted type that `raw` declares, or raises UNSUPPORTED_MEDIA_TYPE. */
export function acceptedImageType(raw: string): AcceptedImageType {
  const type = normaliseContentType(raw);
  const accepted = ACCEPTED_IMAGE_TYPES.find((candidate) => candidate === type);
  if (!accepted) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      contentType: raw || '(none)',
      expected: `photos must be one of ${ACCEPTED_LIST}`,
      accepted: ACCEPTED_IMAGE_TYPES,
    });
  }

  return accepted;
}

/** Raises PAYLOAD_TOO_LARGE when a declared size is above the configured maximum. */
export function assertWithinUploadLimit(byteSize: number, maxUploadBytes: number): void {
  if (byteSize > maxUploadBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', { limit: maxUploadBytes, byteSize });
  }
}

/** Raises ANSWER_INVALID unless `questionId` names a photo question of the template. */
export function assertPhotoQuestion(definition: TemplateDefinition, questionId: string): void {
  const questions = definition.sections.flatMap((section) => section.questions);
  const question = questions.find((candidate) => candidate.id === questionId);
  if (!question) {
    throw new AppError('ANSWER_INVALID', {
      questionId,
      reason: "the survey's template has no question with this id",
    });
  }
  if (question.type !== 'photo') {
    throw new AppError('ANSWER_INVALID', {
      questionId,
      reason: `the question is of type ${question.type}; photos attach only to photo questions`,
    });
  }
}
