/** Maximum length of the facility part of a download name, in characters. */
const FACILITY_SLUG_MAX_LENGTH = 60;

/**
 * Returns the blob key of a report's PDF. The organisation id comes first, like every other
 * key, so a store's lifecycle rules and access policies can act per tenant.
 *
 * @example
 * reportBlobKey('o', 's', 'r'); // 'reports/o/s/r.pdf'
 */
export function reportBlobKey(orgId: string, surveyId: string, reportId: string): string {
  return `reports/${orgId}/${surveyId}/${reportId}.pdf`;
}

/**
 * Names the downloaded PDF after the facility and the inspection date. The facility part is
 * reduced to ASCII letters, digits and hyphens, so the name is safe in a Content-Disposition
 * header and on every file system.
 *
 * @example
 * reportFileName('Dépôt 12 – Lyon Nord', new Date('2025-03-14T16:05:12Z'));
 * // 'inspection-depot-12-lyon-nord-2025-03-14.pdf'
 */
export function reportFileName(facilityName: string, inspectedAt: Date): string {
  return `inspection-${slugify(facilityName)}-${inspectedAt.toISOString().slice(0, 10)}.pdf`;
}

function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, FACILITY_SLUG_MAX_LENGTH)
    .replace(/^-+|-+$/g, '');

  return slug === '' ? 'facility' : slug;
}
