import {
  RATING_DEFAULT_MAX,
  TEXT_ANSWER_MAX_LENGTH,
  YES_NO_NA_VALUES,
  type AnswerValue,
  type Question,
  type QuestionType,
} from '../templates.ts';

export type AnswerCheck =
  | { readonly ok: true; readonly value: AnswerValue | null }
  | { readonly ok: false; readonly message: string };

type AnswerValidator = (question: Question, value: unknown) => AnswerCheck;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// Media ids are database UUIDs. Any version is accepted because ids are not created here.
const MEDIA_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Floating-point slack for the step check, so that 0.1 * 3 still counts as a multiple of 0.1.
const STEP_TOLERANCE = 1e-9;

const VALIDATORS: Readonly<Record<QuestionType, AnswerValidator>> = {
  yes_no_na: validateYesNoNa,
  single_choice: validateSingleChoice,
  multiple_choice: validateMultipleChoice,
  text: validateText,
  number: validateNumber,
  date: validateDate,
  photo: validatePhoto,
  rating: validateRating,
};

/**
 * Checks an answer against its question's type and limits. `null` clears the answer and is
 * always accepted. The message names the problem so that it can be shown to the inspector.
 *
 * @example
 * const age: Question = { id: 'age', type: 'number', label: 'Age', required: false, max: 120 };
 * validateAnswer({ ...age, min: 0 }, 130);
 * // { ok: false, message: 'must be a number between 0 and 120' }
 */
export function validateAnswer(question: Question, value: unknown): AnswerCheck {
  if (value === null) {
    return { ok: true, value: null };
  }

  return VALIDATORS[question.type](question, value);
}

/** Returns true when `value` is a real date in `YYYY-MM-DD` form, e.g. not 2023-02-29. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }

  const match = DATE_PATTERN.exec(value);
  if (!match) {
    return false;
  }

  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// Gregorian calendar arithmetic, because `Date.UTC` maps the years 0 to 99 onto 1900 to 1999.
function daysInMonth(year: number, month: number): number {
  const isLeapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month === 2) {
    return isLeapYear ? 29 : 28;
  }

  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Returns the maximum of a rating question's scale. */
export function ratingMax(question: Question): number {
  return question.max ?? RATING_DEFAULT_MAX;
}

function accept(value: AnswerValue): AnswerCheck {
  return { ok: true, value };
}

function reject(message: string): AnswerCheck {
  return { ok: false, message };
}

function validateYesNoNa(_question: Question, value: unknown): AnswerCheck {
  if (!YES_NO_NA_VALUES.some((allowed) => allowed === value)) {
    return reject(`expected one of ${YES_NO_NA_VALUES.join(', ')}`);
  }

  return accept(value as string);
}

function optionValues(question: Question): readonly string[] {
  return (question.options ?? []).map((option) => option.value);
}

function validateSingleChoice(question: Question, value: unknown): AnswerCheck {
  const allowed = optionValues(question);
  if (typeof value !== 'string' || !allowed.includes(value)) {
    return reject(`expected one of ${allowed.join(', ')}`);
  }

  return accept(value);
}

function validateMultipleChoice(question: Question, value: unknown): AnswerCheck {
  const allowed = optionValues(question);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return reject(`must be an array of option values from ${allowed.join(', ')}`);
  }

  const unknownValue = value.find((item: string) => !allowed.includes(item));
  if (unknownValue !== undefined) {
    return reject(
      `contains unknown option "${unknownValue}"; expected values from ${allowed.join(', ')}`,
    );
  }

  const repeated = value.find((item: string, index) => value.indexOf(item) !== index);
  if (repeated !== undefined) {
    return reject(`contains option "${repeated}" more than once`);
  }

  return accept(value as string[]);
}

function validateText(_question: Question, value: unknown): AnswerCheck {
  if (typeof value !== 'string') {
    return reject('must be a string');
  }

  if (value.length > TEXT_ANSWER_MAX_LENGTH) {
    return reject(`must be at most ${TEXT_ANSWER_MAX_LENGTH} characters long, got ${value.length}`);
  }

  return accept(value);
}

function validateNumber(question: Question, value: unknown): AnswerCheck {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return reject('must be a finite number');
  }

  const rangeProblem = describeRangeProblem(question.min, question.max, value);
  if (rangeProblem) {
    return reject(rangeProblem);
  }

  if (question.step !== undefined && !isMultipleOfStep(value, question.step, question.min ?? 0)) {
    return reject(`must be a multiple of ${question.step} counted from ${question.min ?? 0}`);
  }

  return accept(value);
}

function describeRangeProblem(
  min: number | undefined,
  max: number | undefined,
  value: number,
): string | undefined {
  const belowMin = min !== undefined && value < min;
  const aboveMax = max !== undefined && value > max;
  if (!belowMin && !aboveMax) {
    return undefined;
  }

  if (min !== undefined && max !== undefined) {
    return `must be a number between ${min} and ${max}`;
  }

  return belowMin ? `must be a number of at least ${min}` : `must be a number of at most ${max}`;
}

function isMultipleOfStep(value: number, step: number, origin: number): boolean {
  const steps = (value - origin) / step;
  return Math.abs(steps - Math.round(steps)) < STEP_TOLERANCE * Math.max(1, Math.abs(steps));
}

function validateDate(_question: Question, value: unknown): AnswerCheck {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) {
    return reject('must be a date in YYYY-MM-DD form');
  }

  if (!isCalendarDate(value)) {
    return reject(`must be a real calendar date; ${value} does not exist`);
  }

  return accept(value);
}

function validatePhoto(_question: Question, value: unknown): AnswerCheck {
  const isIdList =
    Array.isArray(value) &&
    value.every((item) => typeof item === 'string' && MEDIA_ID_PATTERN.test(item));
  if (!isIdList) {
    return reject('must be an array of media ids (UUIDs)');
  }

  const repeated = value.find((item: string, index) => value.indexOf(item) !== index);
  if (repeated !== undefined) {
    return reject(`contains media id ${repeated} more than once`);
  }

  return accept(value as string[]);
}

function validateRating(question: Question, value: unknown): AnswerCheck {
  const max = ratingMax(question);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    return reject(`must be a whole number from 1 to ${max}`);
  }

  return accept(value);
}
