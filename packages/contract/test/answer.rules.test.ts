import type { Question, QuestionType } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { isCalendarDate, validateAnswer } from '../src/rules/answer.rules.ts';

const MEDIA_A = '0190f1de-7a44-7c2e-9b1f-3c4d5e6f7a8b';
const MEDIA_B = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

const QUESTIONS: Readonly<Record<QuestionType, Question>> = {
  yes_no_na: { id: 'ok', type: 'yes_no_na', label: 'In service?', required: true },
  single_choice: {
    id: 'color',
    type: 'single_choice',
    label: 'Tag color',
    required: false,
    options: [
      { value: 'red', label: 'Red' },
      { value: 'green', label: 'Green' },
    ],
  },
  multiple_choice: {
    id: 'hazards',
    type: 'multiple_choice',
    label: 'Hazards',
    required: false,
    options: [
      { value: 'fuel', label: 'Fuel' },
      { value: 'paint', label: 'Paint' },
      { value: 'gas', label: 'Gas' },
    ],
  },
  text: { id: 'notes', type: 'text', label: 'Notes', required: false },
  number: { id: 'age', type: 'number', label: 'Age', required: false, min: 0, max: 120 },
  date: { id: 'tested', type: 'date', label: 'Tested on', required: false },
  photo: { id: 'photos', type: 'photo', label: 'Photos', required: false },
  rating: { id: 'state', type: 'rating', label: 'Condition', required: false },
};

const VALID_CASES: readonly (readonly [QuestionType, unknown])[] = [
  ['yes_no_na', 'yes'],
  ['yes_no_na', 'no'],
  ['yes_no_na', 'na'],
  ['single_choice', 'green'],
  ['multiple_choice', ['fuel', 'gas']],
  ['multiple_choice', []],
  ['text', ''],
  ['text', 'Valve chained open.'],
  ['text', 'x'.repeat(10_000)],
  ['number', 0],
  ['number', 120],
  ['number', 37.5],
  ['date', '2024-02-29'],
  ['date', '2000-02-29'],
  ['date', '2023-12-31'],
  ['photo', []],
  ['photo', [MEDIA_A, MEDIA_B]],
  ['rating', 1],
  ['rating', 5],
];

const INVALID_CASES: readonly (readonly [QuestionType, unknown, string])[] = [
  ['yes_no_na', 'Yes', 'expected one of yes, no, na'],
  ['yes_no_na', true, 'expected one of yes, no, na'],
  ['single_choice', 'blue', 'expected one of red, green'],
  ['single_choice', ['red'], 'expected one of red, green'],
  ['multiple_choice', 'fuel', 'must be an array of option values from fuel, paint, gas'],
  ['multiple_choice', ['fuel', 3], 'must be an array of option values from fuel, paint, gas'],
  [
    'multiple_choice',
    ['fuel', 'wood'],
    'contains unknown option "wood"; expected values from fuel, paint, gas',
  ],
  ['multiple_choice', ['gas', 'gas'], 'contains option "gas" more than once'],
  ['text', 42, 'must be a string'],
  ['text', 'x'.repeat(10_001), 'must be at most 10000 characters long, got 10001'],
  ['number', '12', 'must be a finite number'],
  ['number', Number.NaN, 'must be a finite number'],
  ['number', Number.POSITIVE_INFINITY, 'must be a finite number'],
  ['number', -1, 'must be a number between 0 and 120'],
  ['number', 120.5, 'must be a number between 0 and 120'],
  ['date', '2024-2-1', 'must be a date in YYYY-MM-DD form'],
  ['date', '2024-02-01T00:00:00Z', 'must be a date in YYYY-MM-DD form'],
  ['date', 20240201, 'must be a date in YYYY-MM-DD form'],
  ['date', '2023-02-29', 'must be a real calendar date; 2023-02-29 does not exist'],
  ['date', '1900-02-29', 'must be a real calendar date; 1900-02-29 does not exist'],
  ['date', '2024-04-31', 'must be a real calendar date; 2024-04-31 does not exist'],
  ['date', '2024-13-01', 'must be a real calendar date; 2024-13-01 does not exist'],
  ['date', '2024-01-00', 'must be a real calendar date; 2024-01-00 does not exist'],
  ['photo', MEDIA_A, 'must be an array of media ids (UUIDs)'],
  ['photo', ['photo-1'], 'must be an array of media ids (UUIDs)'],
  ['photo', [MEDIA_A, MEDIA_A], `contains media id ${MEDIA_A} more than once`],
  ['rating', 0, 'must be a whole number from 1 to 5'],
  ['rating', 6, 'must be a whole number from 1 to 5'],
  ['rating', 2.5, 'must be a whole number from 1 to 5'],
  ['rating', '3', 'must be a whole number from 1 to 5'],
];

describe('validateAnswer', () => {
  it.each(VALID_CASES)('accepts a %s answer %j', (type, value) => {
    expect(validateAnswer(QUESTIONS[type], value)).toEqual({ ok: true, value });
  });

  it.each(INVALID_CASES)('rejects a %s answer %j', (type, value, message) => {
    expect(validateAnswer(QUESTIONS[type], value)).toEqual({ ok: false, message });
  });

  it.each(Object.keys(QUESTIONS) as QuestionType[])('accepts null for a %s question', (type) => {
    expect(validateAnswer(QUESTIONS[type], null)).toEqual({ ok: true, value: null });
  });

  it('rejects undefined', () => {
    expect(validateAnswer(QUESTIONS.text, undefined)).toEqual({
      ok: false,
      message: 'must be a string',
    });
  });

  it.each([
    [{ min: 10 }, 5, 'must be a number of at least 10'],
    [{ max: 10 }, 11, 'must be a number of at most 10'],
    [{ min: 0, step: 0.5 }, 1.25, 'must be a multiple of 0.5 counted from 0'],
    [{ min: 1, step: 2 }, 4, 'must be a multiple of 2 counted from 1'],
  ])('checks number limits %j against %d', (limits, value, message) => {
    const question: Question = { id: 'n', type: 'number', label: 'N', required: false, ...limits };
    expect(validateAnswer(question, value)).toEqual({ ok: false, message });
  });

  it.each([
    [{ step: 0.1 }, 0.3],
    [{ min: 1, step: 2 }, 5],
    [{ step: 0.01 }, 1234.56],
  ])('accepts number steps %j with %d', (limits, value) => {
    const question: Question = { id: 'n', type: 'number', label: 'N', required: false, ...limits };
    expect(validateAnswer(question, value)).toEqual({ ok: true, value });
  });

  it('uses the rating max of the question', () => {
    const question: Question = { id: 'r', type: 'rating', label: 'R', required: false, max: 10 };
    expect(validateAnswer(question, 10)).toEqual({ ok: true, value: 10 });
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['0004-02-29', true],
    ['0100-02-29', false],
    ['2400-02-29', true],
    ['2024-06-30', true],
    ['2024-06-31', false],
  ])('decides %s is %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
