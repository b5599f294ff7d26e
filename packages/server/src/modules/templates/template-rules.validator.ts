import {
  YES_NO_NA_VALUES,
  type AnswerCondition,
  type ComparedValue,
  type ConditionOperator,
  type FlagOperator,
  type Question,
} from '@avior/contract';
import { isCalendarDate, ratingMax } from '@avior/contract';

/** A question with its path in the template and its position in reading order. */
export interface QuestionEntry {
  readonly question: Question;
  readonly path: string;
  readonly position: number;
}

export type ReportProblem = (path: string, message: string) => void;

/** A problem with an operator or value, at `field` within its condition or flag test. */
interface OperandProblem {
  readonly field: string;
  readonly message: string;
}

type Operator = ConditionOperator | FlagOperator;

const ORDERING_OPERATORS: readonly Operator[] = ['lt', 'gt', 'lte', 'gte'];

/**
 * Checks that every test in `visibleIf` refers to a question earlier in reading order, which
 * rules out cycles, and compares with a value that question can take.
 */
export function checkVisibleIf(
  entry: QuestionEntry,
  entriesById: ReadonlyMap<string, QuestionEntry>,
  report: ReportProblem,
): void {
  for (const { condition, path } of listConditionTests(entry)) {
    const source = entriesById.get(condition.questionId);
    if (source === undefined) {
      report(`${path}.questionId`, `refers to unknown question "${condition.questionId}"`);
      continue;
    }

    if (source.position >= entry.position) {
      const where = source.position === entry.position ? 'is this question' : 'comes later';
      report(
        `${path}.questionId`,
        `must refer to an earlier question; "${source.question.id}" ${where}`,
      );
    }

    const problem = checkOperand(source.question, condition.operator, condition.value);
    if (problem) {
      report(`${path}.${problem.field}`, problem.message);
    }
  }
}

/** Checks that every flag rule's test fits the type and options of its own question. */
export function checkFlagRules(entry: QuestionEntry, report: ReportProblem): void {
  entry.question.rules?.forEach((rule, index) => {
    const problem = checkOperand(entry.question, rule.when.operator, rule.when.value);
    if (problem) {
      report(`${entry.path}.rules[${index}].when.${problem.field}`, problem.message);
    }
  });
}

function listConditionTests(
  entry: QuestionEntry,
): readonly { condition: AnswerCondition; path: string }[] {
  const condition = entry.question.visibleIf;
  const path = `${entry.path}.visibleIf`;
  if (condition === undefined) {
    return [];
  }

  if ('all' in condition) {
    return condition.all.map((test, index) => ({ condition: test, path: `${path}.all[${index}]` }));
  }

  if ('any' in condition) {
    return condition.any.map((test, index) => ({ condition: test, path: `${path}.any[${index}]` }));
  }

  return [{ condition, path }];
}

function checkOperand(
  target: Question,
  operator: Operator,
  value: ComparedValue | undefined,
): OperandProblem | undefined {
  if (operator === 'answered' || operator === 'not_answered') {
    return value === undefined
      ? undefined
      : { field: 'value', message: `must be left out for operator ${operator}` };
  }

  if (target.type === 'photo') {
    return { field: 'operator', message: 'photo questions support only answered and not_answered' };
  }

  if (ORDERING_OPERATORS.includes(operator)) {
    return checkOrdering(target, operator, value);
  }

  if (operator === 'in') {
    return checkList(target, value);
  }

  if (value === undefined || Array.isArray(value)) {
    return { field: 'value', message: `must be a single value for operator ${operator}` };
  }

  const message = describeValueProblem(target, value);
  return message === undefined ? undefined : { field: 'value', message };
}

function checkOrdering(
  target: Question,
  operator: Operator,
  value: ComparedValue | undefined,
): OperandProblem | undefined {
  if (target.type !== 'number' && target.type !== 'rating') {
    return {
      field: 'operator',
      message: `${operator} applies only to number and rating questions`,
    };
  }

  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { field: 'value', message: `must be a number for operator ${operator}` };
  }

  return undefined;
}

function checkList(target: Question, value: ComparedValue | undefined): OperandProblem | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return { field: 'value', message: 'must be a non-empty list of values for operator in' };
  }

  for (const [index, item] of value.entries()) {
    const message = describeValueProblem(target, item);
    if (message !== undefined) {
      return { field: `value[${index}]`, message };
    }
  }

  return undefined;
}

/** Describes why `value` is not an answer that `target` can take, or returns undefined. */
function describeValueProblem(target: Question, value: string | number): string | undefined {
  switch (target.type) {
    case 'yes_no_na':
      return YES_NO_NA_VALUES.some((allowed) => allowed === value)
        ? undefined
        : `must be one of ${YES_NO_NA_VALUES.join(', ')}`;
    case 'single_choice':
    case 'multiple_choice':
      return describeOptionProblem(target, value);
    case 'number':
      return typeof value === 'number' ? undefined : 'must be a number';
    case 'rating':
      return describeRatingProblem(target, value);
    case 'date':
      return isCalendarDate(value) ? undefined : 'must be a date in YYYY-MM-DD form';
    default:
      return typeof value === 'string' ? undefined : 'must be a string';
  }
}

function describeOptionProblem(target: Question, value: string | number): string | undefined {
  const values = (target.options ?? []).map((option) => option.value);
  if (typeof value === 'string' && values.includes(value)) {
    return undefined;
  }

  return `must be an option value of question "${target.id}": ${values.join(', ')}`;
}

function describeRatingProblem(target: Question, value: string | number): string | undefined {
  const max = ratingMax(target);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max) {
    return undefined;
  }

  return `must be a whole number from 1 to ${max}`;
}
