/**
 * Blob keys of a photo. Keys start with the organisation id so a store's lifecycle rules and
 * access policies can act per tenant.
 */

/** Identifies one uploaded original. */
export interface OriginalRef {
  readonly orgId: string;
  readonly surveyId: string;
  readonly mediaId: string;
}

const ORIGINAL_PREFIX = 'originals';
const DERIVATIVE_PREFIX = 'derivatives';

/**
 * Returns the key of an uploaded original.
 *
 * @example
 * originalKey({ orgId: 'o', surveyId: 's', mediaId: 'm' }); // 'originals/o/s/m'
 */
export function originalKey(ref: OriginalRef): string {
  return [ORIGINAL_PREFIX, ref.orgId, ref.surveyId, ref.mediaId].join('/');
}

/** Reads the ids back from an original's key, or returns null when the key is not one. */
export function parseOriginalKey(key: string): OriginalRef | null {
  const [prefix, orgId, surveyId, mediaId, ...rest] = key.split('/');
  if (prefix !== ORIGINAL_PREFIX || !orgId || !surveyId || !mediaId || rest.length > 0) {
    return null;
  }

  return { orgId, surveyId, mediaId };
}

/**
 * Returns the key of one derivative. A rerun of the worker writes the same keys, so
 * reprocessing a photo replaces its files instead of adding new ones.
 *
 * @example
 * derivativeKey({ orgId: 'o', surveyId: 's', mediaId: 'm' }, 'thumb320', 'webp');
 * // 'derivatives/o/s/m/thumb320.webp'
 */
export function derivativeKey(ref: OriginalRef, tier: string, extension: string): string {
  return [DERIVATIVE_PREFIX, ref.orgId, ref.surveyId, ref.mediaId, `${tier}.${extension}`].join(
    '/',
  );
}
