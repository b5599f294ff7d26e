import {
  RATING_MAX_HIGHEST,
  RATING_MAX_LOWEST,
  type Question,
  type TemplateDefinition,
} from '@avior/contract';
import {
  checkFlagRules,
  checkVisibleIf,
  type QuestionEntry,
  type ReportProblem,
} from './template-rules.validator.ts';

/** A rule that a template breaks, at a path such as `sections[2].questions[5].options`. */
export interface TemplateProblem {
  readonly path: string;
  readonly message: string;
}

const CHOICE_TYPES: readonly Question['type'][] = ['single_choice', 'multiple_choice'];

/**
 * Checks the rules of a template that its schema cannot express. Section and question ids are
 * unique across the template, and choice questions have distinct options. Number and rating
 * limits make sense. Each `visibleIf` test refers to an earlier question, so conditions cannot
 * form a cycle, and compares with a value that question can take. Flag rules fit their
 * question's type. Returns an empty list for a valid template. The `TemplateDefinition` schema
 * checks the shape, and callers apply it first.
 *
 * @example
 * validateTemplateDefinition(template);
 * // [{ path: 'sections[0].questions[1].id', message: 'duplicate question id "valves_open" ...' }]
 */
export function validateTemplateDefinition(
  definition: TemplateDefinition,
): readonly TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const report: ReportProblem = (path, message) => problems.push({ path, message });

  checkSectionIds(definition, report);
  const entries = listQuestionEntries(definition, report);
  const entriesById = new Map<string, QuestionEntry>();
  for (const entry of entries) {
    if (!entriesById.has(entry.question.id)) {
      entriesById.set(entry.question.id, entry);
    }
  }

  for (const entry of entries) {
    checkQuestionSettings(entry, report);
    checkVisibleIf(entry, entriesById, report);
    checkFlagRules(entry, report);
  }

  return problems;
}

function checkSectionIds(definition: TemplateDefinition, report: ReportProblem): void {
  if (definition.sections.length === 0) {
    report('sections', 'must contain at least one section');
  }

  const firstPaths = new Map<string, string>();
  definition.sections.forEach((section, index) => {
    const path = `sections[${index}]`;
    const firstPath = firstPaths.get(section.id);
    if (firstPath !== undefined) {
      report(`${path}.id`, `duplicate section id "${section.id}", first used at ${firstPath}`);
      return;
    }

    firstPaths.set(section.id, path);
  });
}

function listQuestionEntries(
  definition: TemplateDefinition,
  report: ReportProblem,
): readonly QuestionEntry[] {
  const entries: QuestionEntry[] = [];
  const firstPaths = new Map<string, string>();
  definition.sections.forEach((section, sectionIndex) => {
    if (section.questions.length === 0) {
      report(`sections[${sectionIndex}].questions`, 'must contain at least one question');
    }

    section.questions.forEach((question, questionIndex) => {
      const path = `sections[${sectionIndex}].questions[${questionIndex}]`;
      const firstPath = firstPaths.get(question.id);
      if (firstPath === undefined) {
        firstPaths.set(question.id, path);
      } else {
        report(`${path}.id`, `duplicate question id "${question.id}", first used at ${firstPath}`);
      }

      entries.push({ question, path, position: entries.length });
    });
  });

  return entries;
}

function checkQuestionSettings(entry: QuestionEntry, report: ReportProblem): void {
  checkOptions(entry, report);
  checkNumberLimits(entry, report);
  checkRatingLimits(entry, report);
  if (entry.question.multiline !== undefined && entry.question.type !== 'text') {
    report(`${entry.path}.multiline`, 'applies only to text questions');
  }
}

function checkOptions({ question, path }: QuestionEntry, report: ReportProblem): void {
  if (!CHOICE_TYPES.includes(question.type)) {
    if (question.options !== undefined) {
      report(`${path}.options`, 'applies only to single_choice and multiple_choice questions');
    }

    return;
  }

  const options = question.options ?? [];
  if (options.length === 0) {
    report(`${path}.options`, `must list at least one option for a ${question.type} question`);
  }

  const seen = new Set<string>();
  options.forEach((option, index) => {
    if (seen.has(option.value)) {
      report(`${path}.options[${index}].value`, `duplicate option value "${option.value}"`);
    }

    seen.add(option.value);
  });
}

function checkNumberLimits({ question, path }: QuestionEntry, report: ReportProblem): void {
  if (question.type !== 'number') {
    if (question.step !== undefined) {
      report(`${path}.step`, 'applies only to number questions');
    }

    if (question.type !== 'rating' && question.max !== undefined) {
      report(`${path}.max`, 'applies only to number and rating questions');
    }

    if (question.type !== 'rating' && question.min !== undefined) {
      report(`${path}.min`, 'applies only to number questions');
    }

    return;
  }

  const { min, max } = question;
  if (min !== undefined && max !== undefined && min > max) {
    report(`${path}.max`, `must be greater than or equal to min (${min}), got ${max}`);
  }
}

function checkRatingLimits({ question, path }: QuestionEntry, report: ReportProblem): void {
  if (question.type !== 'rating') {
    return;
  }

  if (question.min !== undefined) {
    report(`${path}.min`, 'does not apply to rating questions, which start at 1');
  }

  const { max } = question;
  const maxInRange =
    max === undefined ||
    (Number.isInteger(max) && max >= RATING_MAX_LOWEST && max <= RATING_MAX_HIGHEST);
  if (!maxInRange) {
    report(
      `${path}.max`,
      `must be a whole number from ${RATING_MAX_LOWEST} to ${RATING_MAX_HIGHEST}, got ${max}`,
    );
  }
}
