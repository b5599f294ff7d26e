import type { AnswerCondition, AnswerValue, FlagTest } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { isAnswered, matchesCondition, matchesFlagTest } from '../src/rules/answer.matcher.ts';

type Answer = AnswerValue | null | undefined;

describe('isAnswered', () => {
  it.each([
    [undefined, false],
    [null, false],
    ['', false],
    ['   ', false],
    [[], false],
    ['na', true],
    [0, true],
    [['fuel'], true],
  ] as const)('decides %j is %s', (value, expected) => {
    expect(isAnswered(value as Answer)).toBe(expected);
  });
});

describe('matchesCondition', () => {
  const condition = (operator: AnswerCondition['operator'], value?: AnswerCondition['value']) => ({
    questionId: 'q',
    operator,
    ...(value === undefined ? {} : { value }),
  });

  it.each([
    ['equals', 'yes', 'yes', true],
    ['equals', 'yes', 'no', false],
    ['equals', 3, 3, true],
    ['equals', 'fuel', ['paint', 'fuel'], true],
    ['equals', 'gas', ['paint', 'fuel'], false],
    ['not_equals', 'yes', 'no', true],
    ['not_equals', 'yes', 'yes', false],
    ['not_equals', 'yes', undefined, false],
    ['in', ['no', 'na'], 'na', true],
    ['in', ['no', 'na'], 'yes', false],
    ['in', ['gas'], ['paint', 'gas'], true],
    ['in', 'no', 'no', false],
    ['answered', undefined, 'anything', true],
    ['answered', undefined, '', false],
    ['answered', undefined, undefined, false],
    ['equals', 'yes', undefined, false],
  ] as const)('decides %s %j against %j is %s', (operator, value, answer, expected) => {
    const test = condition(operator, value as AnswerCondition['value']);
    expect(matchesCondition(test, answer as Answer)).toBe(expected);
  });
});

describe('matchesFlagTest', () => {
  it.each([
    [{ operator: 'equals', value: 'no' }, 'no', true],
    [{ operator: 'equals', value: 'no' }, 'yes', false],
    [{ operator: 'in', value: ['red', 'green'] }, 'red', true],
    [{ operator: 'lt', value: 40 }, 39.9, true],
    [{ operator: 'lt', value: 40 }, 40, false],
    [{ operator: 'lte', value: 40 }, 40, true],
    [{ operator: 'gt', value: 2 }, 3, true],
    [{ operator: 'gt', value: 2 }, 2, false],
    [{ operator: 'gte', value: 2 }, 2, true],
    [{ operator: 'gte', value: 2 }, '3', false],
    [{ operator: 'not_answered' }, undefined, true],
    [{ operator: 'not_answered' }, null, true],
    [{ operator: 'not_answered' }, 'na', false],
    [{ operator: 'equals', value: 'no' }, undefined, false],
    [{ operator: 'lt', value: 40 }, null, false],
  ] as const)('decides %j against %j is %s', (test, answer, expected) => {
    expect(matchesFlagTest(test as FlagTest, answer as Answer)).toBe(expected);
  });
});
