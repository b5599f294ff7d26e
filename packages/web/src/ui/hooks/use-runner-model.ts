import {
  createVisibilityResolver,
  evaluateSurvey,
  indexQuestions,
  isAnswered,
  type AnswerValue,
  type Question,
  type SurveyEvaluation,
  type SurveyFlag,
  type TemplateDefinition,
} from '@avior/contract';
import { useMemo } from 'react';
import type { LocalAnswer } from '../../data/index.ts';

export interface SectionSummary {
  id: string;
  title: string;
  /** Questions shown for the current answers, in template order. */
  questions: readonly Question[];
  answered: number;
  /** Required questions shown and still blank. */
  missing: number;
  flagged: number;
}

export interface RunnerModel {
  /** Stored answers that count as answered, by question id. */
  values: ReadonlyMap<string, AnswerValue>;
  notes: ReadonlyMap<string, string>;
  sections: readonly SectionSummary[];
  flagsByQuestion: ReadonlyMap<string, readonly SurveyFlag[]>;
  evaluation: SurveyEvaluation;
  /** Section id of every question, hidden ones included. */
  sectionOf: ReadonlyMap<string, string>;
}

function indexAnswers(answers: readonly LocalAnswer[]) {
  const values = new Map<string, AnswerValue>();
  const notes = new Map<string, string>();
  for (const answer of answers) {
    if (isAnswered(answer.value)) {
      values.set(answer.questionId, answer.value);
    }

    if (answer.note) {
      notes.set(answer.questionId, answer.note);
    }
  }

  return { values, notes };
}

function groupFlags(flags: readonly SurveyFlag[]): Map<string, SurveyFlag[]> {
  const grouped = new Map<string, SurveyFlag[]>();
  for (const flag of flags) {
    const list = grouped.get(flag.questionId) ?? [];
    list.push(flag);
    grouped.set(flag.questionId, list);
  }

  return grouped;
}

function summariseSections(
  definition: TemplateDefinition,
  values: ReadonlyMap<string, AnswerValue>,
  isVisible: (question: Question) => boolean,
  flagsByQuestion: ReadonlyMap<string, readonly SurveyFlag[]>,
): SectionSummary[] {
  return definition.sections.map((section) => {
    const questions = section.questions.filter(isVisible);
    const answered = questions.filter((question) => values.has(question.id)).length;
    const missing = questions.filter((q) => q.required && !values.has(q.id)).length;
    const flagged = questions.filter((question) => flagsByQuestion.has(question.id)).length;
    return { id: section.id, title: section.title, questions, answered, missing, flagged };
  });
}

/**
 * React hook: what the runner shows for the local answers: the visible questions of each section,
 * counts, and the flags of `evaluateSurvey`. Recomputed only when the answers or template change.
 */
export function useRunnerModel(
  definition: TemplateDefinition | undefined,
  answers: readonly LocalAnswer[] | undefined,
): RunnerModel | undefined {
  const lookup = useMemo(() => (definition ? indexQuestions(definition) : undefined), [definition]);
  const sectionOf = useMemo(() => {
    const map = new Map<string, string>();
    for (const section of definition?.sections ?? []) {
      for (const question of section.questions) {
        map.set(question.id, section.id);
      }
    }

    return map;
  }, [definition]);

  return useMemo(() => {
    if (!definition || !lookup || !answers) {
      return undefined;
    }

    const { values, notes } = indexAnswers(answers);
    const evaluation = evaluateSurvey(definition, values);
    const flagsByQuestion = groupFlags(evaluation.flags);
    const isVisible = createVisibilityResolver(values, lookup);
    const sections = summariseSections(definition, values, isVisible, flagsByQuestion);
    return { values, notes, sections, flagsByQuestion, evaluation, sectionOf };
  }, [definition, lookup, answers, sectionOf]);
}
