import type {
  NotificationContent,
  ReadyReport,
  SurveyAssignment,
} from './notifications.repository.ts';

// UTC because a due date is a calendar day with no time zone.
const DUE_DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * Builds the notification an inspector receives when a survey is assigned to them.
 *
 * @example
 * surveyAssignedContent({
 *   surveyId,
 *   facilityId,
 *   facilityName: 'Boiler house',
 *   dueDate: '2024-03-14',
 * }).body; // 'Boiler house, due 14 Mar 2024'
 */
export function surveyAssignedContent(assignment: SurveyAssignment): NotificationContent {
  const due = assignment.dueDate ? `due ${formatDueDate(assignment.dueDate)}` : 'no due date';
  return {
    kind: 'survey.assigned',
    title: 'New inspection assigned',
    body: `${assignment.facilityName}, ${due}`,
    data: {
      surveyId: assignment.surveyId,
      facilityId: assignment.facilityId,
      dueDate: assignment.dueDate,
    },
  };
}

/** Builds the notification the inspector and the managers receive when a report is ready. */
export function reportReadyContent(report: ReadyReport): NotificationContent {
  const pages = report.pageCount === null ? '' : ` (${pageCount(report.pageCount)})`;
  return {
    kind: 'report.ready',
    title: 'Inspection report ready',
    body: `The report for ${report.facilityName} is ready to download${pages}`,
    data: { reportId: report.reportId, surveyId: report.surveyId },
  };
}

function formatDueDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : DUE_DATE_FORMAT.format(parsed);
}

function pageCount(count: number): string {
  return count === 1 ? '1 page' : `${count} pages`;
}
