import type { RiskLevel, Severity } from './report.types.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Formats an ISO 8601 timestamp as "2025-03-14 09:30 UTC". The report is read in many time
 * zones, so every time prints in UTC. A date without a time prints as it is, and text that
 * does not parse prints unchanged rather than hiding the stored value.
 */
export function formatTimestamp(value: string | null, missing = 'Not set'): string {
  if (value === null || value.trim() === '') {
    return missing;
  }
  if (DATE_ONLY.test(value)) {
    return value;
  }

  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    return value;
  }
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Formats a score from 0 to 100 with at most one decimal, as "72 / 100". */
export function formatScore(score: number | null): string {
  if (score === null || !Number.isFinite(score)) {
    return 'Not scored';
  }
  const rounded = Math.round(score * 10) / 10;
  return `${rounded} / 100`;
}

/** Formats a position as "48.85837, 2.29448" (five decimals, about one metre). */
export function formatGps(gps: { latitude: number; longitude: number }): string {
  return `${gps.latitude.toFixed(5)}, ${gps.longitude.toFixed(5)}`;
}

export function severityLabel(severity: Severity | RiskLevel): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

export function riskLabel(riskLevel: RiskLevel | null): string {
  return riskLevel === null ? 'Risk not assessed' : `${severityLabel(riskLevel)} risk`;
}

/** Formats a count with its noun, as "1 photo" or "3 photos". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
