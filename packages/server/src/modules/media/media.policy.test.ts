import type { TemplateDefinition } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../gateway/auth.ts';
import { AppError } from '../../platform/errors/error-catalogue.ts';
import {
  acceptedImageType,
  assertMayAddPhotos,
  assertPhotoQuestion,
  assertWithinUploadLimit,
  mayReadSurvey,
  normaliseContentType,
  type SurveyAccess,
} from './media.policy.ts';

const definition: TemplateDefinition = {
  key: 'boiler-room',
  title: 'Boiler room',
  sections: [
    {
      id: 'access',
      title: 'Access',
      questions: [
        { id: 'door_photo', type: 'photo', label: 'Photo of the door', required: false },
        { id: 'door_clear', type: 'yes_no_na', label: 'Is the door clear?', required: true },
      ],
    },
  ],
};

const survey: SurveyAccess = {
  id: 'survey-1',
  status: 'in_progress',
  inspectorId: 'inspector-1',
  definition,
};

function principal(role: Role, userId = `${role}-1`): Principal {
  return { userId, orgId: 'org-1', role };
}

function errorOf(action: () => unknown): AppError | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

function codeOf(action: () => unknown): string | undefined {
  return errorOf(action)?.code;
}

describe('assertMayAddPhotos', () => {
  it.each<[string, Principal, string | undefined]>([
    ['the assigned inspector', principal('inspector'), undefined],
    ['a manager', principal('manager'), undefined],
    ['an admin', principal('admin'), undefined],
    ['another inspector', principal('inspector', 'inspector-2'), 'FORBIDDEN'],
    ['a viewer', principal('viewer'), 'FORBIDDEN'],
  ])('answers %s with %s', (_name, caller, expected) => {
    expect(codeOf(() => assertMayAddPhotos(caller, survey))).toBe(expected);
  });

  it.each(['submitted', 'reviewed'] as const)('rejects a %s survey', (status) => {
    expect(codeOf(() => assertMayAddPhotos(principal('manager'), { ...survey, status }))).toBe(
      'INVALID_STATE',
    );
  });
});

describe('mayReadSurvey', () => {
  it.each<[string, Principal, boolean]>([
    ['the assigned inspector', principal('inspector'), true],
    ['another inspector', principal('inspector', 'inspector-2'), false],
    ['a viewer', principal('viewer'), true],
    ['a manager', principal('manager'), true],
  ])('lets %s read: %s', (_name, caller, expected) => {
    expect(mayReadSurvey(caller, survey)).toBe(expected);
  });
});

describe('acceptedImageType', () => {
  it.each([
    ['image/jpeg', 'image/jpeg'],
    ['Image/PNG', 'image/png'],
    ['image/webp; charset=binary', 'image/webp'],
    ['image/heic', 'image/heic'],
    ['image/heif', 'image/heif'],
  ])('accepts %s as %s', (declared, expected) => {
    expect(acceptedImageType(declared)).toBe(expected);
  });

  it.each(['application/pdf', 'image/gif', 'text/plain', ''])('rejects %s with 415', (declared) => {
    expect(codeOf(() => acceptedImageType(declared))).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('names the accepted types', () => {
    const error = errorOf(() => acceptedImageType('image/gif'));
    expect(error?.message).toContain('image/jpeg, image/png, image/webp, image/heic, image/heif');
  });
});

describe('normaliseContentType', () => {
  it('drops parameters and case', () => {
    expect(normaliseContentType(' IMAGE/JPEG ; q=0.9')).toBe('image/jpeg');
  });
});

describe('assertWithinUploadLimit', () => {
  it('accepts the limit itself', () => {
    expect(codeOf(() => assertWithinUploadLimit(1000, 1000))).toBeUndefined();
  });

  it('rejects one byte more with 413', () => {
    expect(codeOf(() => assertWithinUploadLimit(1001, 1000))).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('assertPhotoQuestion', () => {
  it('accepts a photo question', () => {
    expect(codeOf(() => assertPhotoQuestion(definition, 'door_photo'))).toBeUndefined();
  });

  it.each(['door_clear', 'missing_question'])('rejects %s with 422', (questionId) => {
    expect(codeOf(() => assertPhotoQuestion(definition, questionId))).toBe('ANSWER_INVALID');
  });

  it('names the question in the message', () => {
    const error = errorOf(() => assertPhotoQuestion(definition, 'door_clear'));
    expect(error?.message).toContain('door_clear');
  });
});
