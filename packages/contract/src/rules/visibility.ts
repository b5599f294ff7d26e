import type {
  AnswerCondition,
  AnswerValue,
  Condition,
  Question,
  TemplateDefinition,
} from '../templates.ts';
import { matchesCondition } from './answer.matcher.ts';

export type AnswerMap = ReadonlyMap<string, AnswerValue>;
export type QuestionLookup = ReadonlyMap<string, Question>;

/** Maps every question id of a template to its question. */
export function indexQuestions(definition: TemplateDefinition): QuestionLookup {
  const lookup = new Map<string, Question>();
  for (const section of definition.sections) {
    for (const question of section.questions) {
      lookup.set(question.id, question);
    }
  }

  return lookup;
}

/**
 * Decides whether a question is shown for the given answers. The answer of a hidden question
 * is ignored, so a condition on a hidden question is false and the chain hides too. `lookup`
 * resolves the questions that conditions refer to (see `indexQuestions`).
 *
 * @example
 * isQuestionVisible(alarmPhone, new Map([['alarm_in_service', 'yes']]), indexQuestions(template));
 */
export function isQuestionVisible(
  question: Question,
  answers: AnswerMap,
  lookup: QuestionLookup,
): boolean {
  return createVisibilityResolver(answers, lookup)(question);
}

/** Returns the ids of the questions shown for the given answers. */
export function listVisibleQuestionIds(
  definition: TemplateDefinition,
  answers: AnswerMap,
): ReadonlySet<string> {
  const isVisible = createVisibilityResolver(answers, indexQuestions(definition));
  const visible = new Set<string>();
  for (const section of definition.sections) {
    for (const question of section.questions) {
      if (isVisible(question)) {
        visible.add(question.id);
      }
    }
  }

  return visible;
}

/**
 * Builds a memoised visibility test for one set of answers. A question met again while its own
 * visibility is being decided is treated as hidden. A valid template cannot contain such a cycle
 * because conditions refer only to earlier questions, so the check only guards against
 * unvalidated input.
 */
export function createVisibilityResolver(
  answers: AnswerMap,
  lookup: QuestionLookup,
): (question: Question) => boolean {
  const decided = new Map<string, boolean>();
  const pending = new Set<string>();

  const resolve = (question: Question): boolean => {
    const known = decided.get(question.id);
    if (known !== undefined) {
      return known;
    }

    if (pending.has(question.id)) {
      return false;
    }

    pending.add(question.id);
    const visible = question.visibleIf === undefined || holds(question.visibleIf);
    pending.delete(question.id);
    decided.set(question.id, visible);
    return visible;
  };

  const holdsLeaf = (leaf: AnswerCondition): boolean => {
    const source = lookup.get(leaf.questionId);
    const answer = source && resolve(source) ? answers.get(leaf.questionId) : undefined;
    return matchesCondition(leaf, answer);
  };

  const holds = (condition: Condition): boolean => {
    if ('all' in condition) {
      return condition.all.every(holdsLeaf);
    }

    if ('any' in condition) {
      return condition.any.some(holdsLeaf);
    }

    return holdsLeaf(condition);
  };

  return resolve;
}
