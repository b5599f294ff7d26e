import { describe, expect, it } from 'vitest';
import { derivativeKey, originalKey, parseOriginalKey } from './media.keys.ts';

const ref = { orgId: 'org-1', surveyId: 'survey-1', mediaId: 'media-1' };

describe('media keys', () => {
  it('names an original by organisation, survey and media', () => {
    expect(originalKey(ref)).toBe('originals/org-1/survey-1/media-1');
  });

  it('reads the ids back from an original key', () => {
    expect(parseOriginalKey(originalKey(ref))).toEqual(ref);
  });

  it.each([
    ['derivatives/org-1/survey-1/media-1/thumb320.webp'],
    ['originals/org-1/survey-1'],
    ['originals/org-1/survey-1/media-1/extra'],
    ['originals//survey-1/media-1'],
    ['reports/org-1/survey-1.pdf'],
  ])('rejects %s as an original key', (key) => {
    expect(parseOriginalKey(key)).toBeNull();
  });

  it('names a derivative by tier and extension', () => {
    expect(derivativeKey(ref, 'w1024', 'webp')).toBe(
      'derivatives/org-1/survey-1/media-1/w1024.webp',
    );
  });
});
