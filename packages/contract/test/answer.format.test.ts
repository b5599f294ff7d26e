import type { AnswerValue, Question, QuestionType } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { formatAnswer } from '../src/rules/answer.format.ts';

const OPTIONS = [
  { value: 'osy', label: 'OS&Y valve' },
  { value: 'gate', label: 'Gate valve' },
];

function question(type: QuestionType, extra: Partial<Question> = {}): Question {
  return { id: 'q', type, label: 'Question', required: false, ...extra };
}

describe('formatAnswer', () => {
  it.each([
    ['yes_no_na', {}, 'yes', 'Yes'],
    ['yes_no_na', {}, 'no', 'No'],
    ['yes_no_na', {}, 'na', 'N/A'],
    ['single_choice', { options: OPTIONS }, 'osy', 'OS&Y valve'],
    ['single_choice', { options: OPTIONS }, 'butterfly', 'butterfly'],
    ['multiple_choice', { options: OPTIONS }, ['gate', 'osy'], 'Gate valve, OS&Y valve'],
    ['text', {}, 'Valve chained open', 'Valve chained open'],
    ['number', {}, 42.5, '42.5'],
    ['date', {}, '2024-03-14', '14 Mar 2024'],
    ['date', {}, '0099-12-31', '31 Dec 99'],
    ['date', {}, 'yesterday', 'yesterday'],
    ['photo', {}, ['a'], '1 photo'],
    ['photo', {}, ['a', 'b', 'c'], '3 photos'],
    ['rating', {}, 4, '4 / 5'],
    ['rating', { max: 10 }, 7, '7 / 10'],
  ] as const)('formats a %s answer %j', (type, extra, value, expected) => {
    expect(formatAnswer(question(type, extra), value as AnswerValue)).toBe(expected);
  });

  it.each([null, undefined, '', []])('formats %j as not answered', (value) => {
    expect(formatAnswer(question('text'), value as AnswerValue | null)).toBe('Not answered');
  });

  it('formats a photo question without photos', () => {
    expect(formatAnswer(question('photo'), [])).toBe('No photos');
  });
});
