import type { AnswerInput, AnswerValue, Question, TemplateDefinition } from '@avior/contract';
import { listVisibleQuestionIds } from '@avior/contract';

/**
 * Questions the demo inspector answers with a failing value, so the report has findings of
 * several severities. Any question id missing from the template is ignored.
 */
const FAILING_ANSWERS = new Set([
  'general_in_service',
  'general_valves_sealed_open',
  'general_waterfill_in_heated',
  'pipe_hangers_corrosion',
  'fdc_obstructed',
  'heads_corrosion',
  'stand_hose_in_service',
  'extinguisher_hoses_condition',
]);

/** Text answers in several scripts, so the report shows it renders any of them. */
const TEXT_SAMPLES = [
  'Checked on site with the facility manager.',
  '消防栓检查合格，压力正常。',
  'Contrôle réalisé à l’entrée nord ; étiquettes lisibles.',
  'Проверено, замечаний нет.',
  'Inspección completada sin incidencias.',
];

/**
 * Builds an answer for every question of a template, in sections, the way an inspector fills a
 * form: yes to most checks, a few failures, realistic text, dates and numbers in range. Photo
 * questions get the media ids uploaded for them.
 */
export function buildDemoAnswers(
  definition: TemplateDefinition,
  photosByQuestion: ReadonlyMap<string, readonly string[]>,
  today: string,
): AnswerInput[][] {
  let textIndex = 0;
  const batches = definition.sections.map((section) =>
    section.questions.flatMap((question): AnswerInput[] => {
      const value = answerFor(
        question,
        photosByQuestion,
        today,
        () => TEXT_SAMPLES[textIndex++ % TEXT_SAMPLES.length] as string,
      );
      if (value === undefined) return [];
      const note = FAILING_ANSWERS.has(question.id)
        ? 'Photographed and reported to the site manager.'
        : undefined;
      return [{ questionId: question.id, value, ...(note ? { note } : {}) }];
    }),
  );
  return withoutHiddenQuestions(definition, batches);
}

// An inspector never sees a question whose condition is false, so it gets no answer either.
function withoutHiddenQuestions(
  definition: TemplateDefinition,
  batches: AnswerInput[][],
): AnswerInput[][] {
  const answers = new Map<string, AnswerValue>();
  for (const answer of batches.flat()) {
    if (answer.value !== null) answers.set(answer.questionId, answer.value);
  }
  const visible = listVisibleQuestionIds(definition, answers);
  return batches.map((batch) => batch.filter((answer) => visible.has(answer.questionId)));
}

function answerFor(
  question: Question,
  photosByQuestion: ReadonlyMap<string, readonly string[]>,
  today: string,
  nextText: () => string,
): AnswerInput['value'] | undefined {
  switch (question.type) {
    case 'yes_no_na':
      return yesNoAnswer(question);
    case 'single_choice':
      return question.options?.[0]?.value ?? null;
    case 'multiple_choice':
      return question.options?.slice(0, 1).map((option) => option.value) ?? [];
    case 'text':
      return question.id === 'general_report_internal_code'
        ? `NW-${today.replaceAll('-', '')}-001`
        : nextText();
    case 'number':
      return question.min ?? 0;
    case 'date':
      return today;
    case 'rating':
      return question.max ?? 5;
    case 'photo': {
      const ids = photosByQuestion.get(question.id);
      return ids && ids.length > 0 ? [...ids] : undefined;
    }
  }
}

// A question whose flag rule fires on "yes" is a negatively phrased check ("Is there corrosion?"),
// so its compliant answer is "no". The demo's failing set inverts the compliant answer.
function yesNoAnswer(question: Question): 'yes' | 'no' {
  const flagsOnYes =
    question.rules?.some((rule) => rule.when.operator === 'equals' && rule.when.value === 'yes') ??
    false;
  const compliant = flagsOnYes ? 'no' : 'yes';
  if (!FAILING_ANSWERS.has(question.id)) return compliant;

  return compliant === 'yes' ? 'no' : 'yes';
}
