import { describe, expect, it } from 'vitest';
import { reportBlobKey, reportFileName } from './report.keys.ts';

const INSPECTED_AT = new Date('2025-03-14T16:05:12Z');

describe('reportBlobKey', () => {
  it('puts the organisation first', () => {
    expect(reportBlobKey('org', 'survey', 'report')).toBe('reports/org/survey/report.pdf');
  });
});

describe('reportFileName', () => {
  it.each([
    [
      'Harbour Road Water Treatment Plant',
      'inspection-harbour-road-water-treatment-plant-2025-03-14.pdf',
    ],
    ['Dépôt 12 – Lyon Nord', 'inspection-depot-12-lyon-nord-2025-03-14.pdf'],
    ['  --Main/Boiler "House"--  ', 'inspection-main-boiler-house-2025-03-14.pdf'],
    ['消防站', 'inspection-facility-2025-03-14.pdf'],
    ['', 'inspection-facility-2025-03-14.pdf'],
  ])('names %j as %s', (facility, expected) => {
    expect(reportFileName(facility, INSPECTED_AT)).toBe(expected);
  });

  it('cuts a long facility name to 60 characters', () => {
    const name = reportFileName('a'.repeat(200), INSPECTED_AT);
    expect(name).toBe(`inspection-${'a'.repeat(60)}-2025-03-14.pdf`);
  });

  it('drops a hyphen left at the cut', () => {
    const name = reportFileName(`${'a'.repeat(59)} b`, INSPECTED_AT);
    expect(name).toBe(`inspection-${'a'.repeat(59)}-2025-03-14.pdf`);
  });
});
