import type { AnswerCondition, AnswerValue, ComparedValue, FlagTest } from '../templates.ts';

/**
 * Returns true when a question has an answer: not missing, not null, not an empty or blank
 * string and not an empty list. `'na'` is an answer.
 */
export function isAnswered(value: AnswerValue | null | undefined): value is AnswerValue {
  if (value === null || value === undefined) {
    return false;
  }

  if (typeof value === 'string') {
    return value.trim() !== '';
  }

  return !Array.isArray(value) || value.length > 0;
}

/**
 * Tests a visibility condition against the source question's answer. Pass `undefined` when the
 * source is unanswered or hidden: then only `answered` can be decided, and it is false.
 */
export function matchesCondition(
  condition: AnswerCondition,
  answer: AnswerValue | null | undefined,
): boolean {
  if (!isAnswered(answer)) {
    return false;
  }

  switch (condition.operator) {
    case 'answered':
      return true;
    case 'equals':
      return equalsValue(answer, condition.value);
    case 'not_equals':
      return !equalsValue(answer, condition.value);
    case 'in':
      return isInValues(answer, condition.value);
  }
}

/** Tests a flag rule's `when` against the question's own answer. */
export function matchesFlagTest(test: FlagTest, answer: AnswerValue | null | undefined): boolean {
  if (!isAnswered(answer)) {
    return test.operator === 'not_answered';
  }

  switch (test.operator) {
    case 'not_answered':
      return false;
    case 'equals':
      return equalsValue(answer, test.value);
    case 'in':
      return isInValues(answer, test.value);
    default:
      return compareNumbers(test.operator, answer, test.value);
  }
}

// A multiple_choice answer equals a value when it includes it.
function equalsValue(answer: AnswerValue, expected: ComparedValue | undefined): boolean {
  if (Array.isArray(answer)) {
    return typeof expected === 'string' && answer.includes(expected);
  }

  return answer === expected;
}

function isInValues(answer: AnswerValue, expected: ComparedValue | undefined): boolean {
  if (!Array.isArray(expected)) {
    return false;
  }

  const answerValues: readonly (string | number)[] = Array.isArray(answer) ? answer : [answer];
  return answerValues.some((value) => expected.includes(value));
}

function compareNumbers(
  operator: 'lt' | 'gt' | 'lte' | 'gte',
  answer: AnswerValue,
  expected: ComparedValue | undefined,
): boolean {
  if (typeof answer !== 'number' || typeof expected !== 'number') {
    return false;
  }

  switch (operator) {
    case 'lt':
      return answer < expected;
    case 'gt':
      return answer > expected;
    case 'lte':
      return answer <= expected;
    case 'gte':
      return answer >= expected;
  }
}
