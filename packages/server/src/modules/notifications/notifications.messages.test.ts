import { describe, expect, it } from 'vitest';
import { reportReadyContent, surveyAssignedContent } from './notifications.messages.ts';

const ASSIGNMENT = {
  surveyId: '0190f000-0000-7000-8000-000000000001',
  facilityId: '0190f000-0000-7000-8000-000000000002',
  facilityName: 'Boiler house',
  dueDate: '2024-03-14',
};

const REPORT = {
  reportId: '0190f000-0000-7000-8000-000000000003',
  surveyId: ASSIGNMENT.surveyId,
  inspectorId: '0190f000-0000-7000-8000-000000000004',
  facilityName: 'Boiler house',
  pageCount: 7,
};

describe('surveyAssignedContent', () => {
  it('names the facility and the due date', () => {
    expect(surveyAssignedContent(ASSIGNMENT).body).toBe('Boiler house, due 14 Mar 2024');
  });

  it('says when there is no due date', () => {
    const content = surveyAssignedContent({ ...ASSIGNMENT, dueDate: null });
    expect(content.body).toBe('Boiler house, no due date');
  });

  it('has the assignment title and kind', () => {
    const content = surveyAssignedContent(ASSIGNMENT);
    expect([content.kind, content.title]).toEqual(['survey.assigned', 'New inspection assigned']);
  });

  it('carries the ids a client opens', () => {
    expect(surveyAssignedContent(ASSIGNMENT).data).toEqual({
      surveyId: ASSIGNMENT.surveyId,
      facilityId: ASSIGNMENT.facilityId,
      dueDate: '2024-03-14',
    });
  });
});

describe('reportReadyContent', () => {
  it.each([
    [7, 'The report for Boiler house is ready to download (7 pages)'],
    [1, 'The report for Boiler house is ready to download (1 page)'],
    [null, 'The report for Boiler house is ready to download'],
  ])('describes a report of %j pages', (pageCount, expected) => {
    expect(reportReadyContent({ ...REPORT, pageCount }).body).toBe(expected);
  });

  it('carries the report and survey ids', () => {
    expect(reportReadyContent(REPORT).data).toEqual({
      reportId: REPORT.reportId,
      surveyId: REPORT.surveyId,
    });
  });
});
