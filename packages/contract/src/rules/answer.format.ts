import type { AnswerValue, Question } from '../templates.ts';
import { isAnswered } from './answer.matcher.ts';
import { isCalendarDate, ratingMax } from './answer.rules.ts';

export const NOT_ANSWERED_TEXT = 'Not answered';

const YES_NO_NA_LABELS: Readonly<Record<string, string>> = { yes: 'Yes', no: 'No', na: 'N/A' };

// UTC because an answer date is a calendar day with no time zone.
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * Formats an answer for reports: option labels, Yes/No/N/A, dates as "14 Mar 2024", ratings as
 * "4 / 5" and photos as a count. A value that does not fit the question is shown as stored.
 *
 * @example
 * formatAnswer({ id: 'p', type: 'photo', label: 'Photos', required: false }, ['a', 'b', 'c']);
 * // '3 photos'
 */
export function formatAnswer(question: Question, value: AnswerValue | null | undefined): string {
  if (!isAnswered(value)) {
    return question.type === 'photo' ? 'No photos' : NOT_ANSWERED_TEXT;
  }

  switch (question.type) {
    case 'yes_no_na':
      return YES_NO_NA_LABELS[String(value)] ?? String(value);
    case 'single_choice':
    case 'multiple_choice':
      return toList(value)
        .map((item) => optionLabel(question, item))
        .join(', ');
    case 'date':
      return formatDate(value);
    case 'photo':
      return formatPhotoCount(value);
    case 'rating':
      return `${String(value)} / ${ratingMax(question)}`;
    default:
      return toList(value).join(', ');
  }
}

function toList(value: AnswerValue): readonly (string | number)[] {
  return Array.isArray(value) ? value : [value];
}

function optionLabel(question: Question, value: string | number): string {
  const option = question.options?.find((candidate) => candidate.value === value);
  return option?.label ?? String(value);
}

function formatDate(value: AnswerValue): string {
  if (!isCalendarDate(value)) {
    return String(value);
  }

  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year ?? 0, (month ?? 1) - 1, day ?? 1);
  return DATE_FORMAT.format(date);
}

function formatPhotoCount(value: AnswerValue): string {
  const count = Array.isArray(value) ? value.length : 1;
  return count === 1 ? '1 photo' : `${count} photos`;
}
