import type { Question, TemplateDefinition } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { validateTemplateDefinition } from './template.validator.ts';

const BASE_QUESTIONS: readonly Question[] = [
  { id: 'in_service', type: 'yes_no_na', label: 'System in service?', required: true },
  {
    id: 'valve_type',
    type: 'single_choice',
    label: 'Valve type',
    required: false,
    options: [
      { value: 'gate', label: 'Gate valve' },
      { value: 'osy', label: 'OS&Y valve' },
    ],
  },
  { id: 'pressure', type: 'number', label: 'Static pressure', required: false, min: 0, max: 300 },
  { id: 'condition', type: 'rating', label: 'Overall condition', required: false, max: 5 },
  { id: 'notes', type: 'text', label: 'Notes', required: false, multiline: true },
  { id: 'photos', type: 'photo', label: 'Photos', required: false },
  { id: 'last_test', type: 'date', label: 'Last test', required: false },
];

function buildTemplate(change: (questions: Question[]) => void = () => {}): TemplateDefinition {
  const questions = structuredClone(BASE_QUESTIONS) as Question[];
  change(questions);
  return {
    key: 'valve-check',
    title: 'Valve check',
    sections: [
      { id: 'main', title: 'Main', questions: questions.slice(0, 4) },
      { id: 'extra', title: 'Extra', questions: questions.slice(4) },
    ],
  };
}

function withQuestion(index: number, patch: Partial<Question>): TemplateDefinition {
  return buildTemplate((questions) => {
    questions[index] = { ...(questions[index] as Question), ...patch };
  });
}

// Questions 0 to 3 sit in section 0, questions 4 to 6 in section 1.
const QUESTION_PATH = {
  inService: 'sections[0].questions[0]',
  valveType: 'sections[0].questions[1]',
  pressure: 'sections[0].questions[2]',
  rating: 'sections[0].questions[3]',
  notes: 'sections[1].questions[0]',
  photos: 'sections[1].questions[1]',
  lastTest: 'sections[1].questions[2]',
} as const;

interface BrokenCase {
  readonly name: string;
  readonly definition: TemplateDefinition;
  readonly path: string;
  readonly message: string;
}

const BROKEN_CASES: readonly BrokenCase[] = [
  {
    name: 'no sections',
    definition: { key: 'empty', title: 'Empty', sections: [] },
    path: 'sections',
    message: 'must contain at least one section',
  },
  {
    name: 'duplicate section id',
    definition: {
      ...buildTemplate(),
      sections: buildTemplate().sections.map((section) => ({ ...section, id: 'main' })),
    },
    path: 'sections[1].id',
    message: 'duplicate section id "main", first used at sections[0]',
  },
  {
    name: 'empty section',
    definition: {
      ...buildTemplate(),
      sections: [...buildTemplate().sections, { id: 'blank', title: 'Blank', questions: [] }],
    },
    path: 'sections[2].questions',
    message: 'must contain at least one question',
  },
  {
    name: 'duplicate question id across sections',
    definition: withQuestion(5, { id: 'pressure' }),
    path: `${QUESTION_PATH.photos}.id`,
    message: 'duplicate question id "pressure", first used at sections[0].questions[2]',
  },
  {
    name: 'choice without options',
    definition: withQuestion(1, { options: [] }),
    path: `${QUESTION_PATH.valveType}.options`,
    message: 'must list at least one option for a single_choice question',
  },
  {
    name: 'multiple choice with options left out',
    definition: withQuestion(1, { type: 'multiple_choice', options: undefined }),
    path: `${QUESTION_PATH.valveType}.options`,
    message: 'must list at least one option for a multiple_choice question',
  },
  {
    name: 'duplicate option value',
    definition: withQuestion(1, {
      options: [
        { value: 'gate', label: 'Gate valve' },
        { value: 'gate', label: 'Gate valve again' },
      ],
    }),
    path: `${QUESTION_PATH.valveType}.options[1].value`,
    message: 'duplicate option value "gate"',
  },
  {
    name: 'options on a text question',
    definition: withQuestion(4, { options: [{ value: 'a', label: 'A' }] }),
    path: `${QUESTION_PATH.notes}.options`,
    message: 'applies only to single_choice and multiple_choice questions',
  },
  {
    name: 'number min above max',
    definition: withQuestion(2, { min: 10, max: 5 }),
    path: `${QUESTION_PATH.pressure}.max`,
    message: 'must be greater than or equal to min (10), got 5',
  },
  {
    name: 'step on a rating',
    definition: withQuestion(3, { step: 1 }),
    path: `${QUESTION_PATH.rating}.step`,
    message: 'applies only to number questions',
  },
  {
    name: 'max on a text question',
    definition: withQuestion(4, { max: 10 }),
    path: `${QUESTION_PATH.notes}.max`,
    message: 'applies only to number and rating questions',
  },
  {
    name: 'min on a date question',
    definition: withQuestion(6, { min: 1 }),
    path: `${QUESTION_PATH.lastTest}.min`,
    message: 'applies only to number questions',
  },
  {
    name: 'rating max too small',
    definition: withQuestion(3, { max: 1 }),
    path: `${QUESTION_PATH.rating}.max`,
    message: 'must be a whole number from 2 to 10, got 1',
  },
  {
    name: 'rating max too large',
    definition: withQuestion(3, { max: 11 }),
    path: `${QUESTION_PATH.rating}.max`,
    message: 'must be a whole number from 2 to 10, got 11',
  },
  {
    name: 'rating max not whole',
    definition: withQuestion(3, { max: 4.5 }),
    path: `${QUESTION_PATH.rating}.max`,
    message: 'must be a whole number from 2 to 10, got 4.5',
  },
  {
    name: 'rating min',
    definition: withQuestion(3, { min: 0 }),
    path: `${QUESTION_PATH.rating}.min`,
    message: 'does not apply to rating questions, which start at 1',
  },
  {
    name: 'multiline on a number question',
    definition: withQuestion(2, { multiline: true }),
    path: `${QUESTION_PATH.pressure}.multiline`,
    message: 'applies only to text questions',
  },
  {
    name: 'condition on an unknown question',
    definition: withQuestion(4, { visibleIf: { questionId: 'nope', operator: 'answered' } }),
    path: `${QUESTION_PATH.notes}.visibleIf.questionId`,
    message: 'refers to unknown question "nope"',
  },
  {
    name: 'condition on a later question',
    definition: withQuestion(0, { visibleIf: { questionId: 'notes', operator: 'answered' } }),
    path: `${QUESTION_PATH.inService}.visibleIf.questionId`,
    message: 'must refer to an earlier question; "notes" comes later',
  },
  {
    name: 'condition on itself',
    definition: withQuestion(4, { visibleIf: { questionId: 'notes', operator: 'answered' } }),
    path: `${QUESTION_PATH.notes}.visibleIf.questionId`,
    message: 'must refer to an earlier question; "notes" is this question',
  },
  {
    name: 'condition with an unknown option value',
    definition: withQuestion(4, {
      visibleIf: { questionId: 'valve_type', operator: 'equals', value: 'butterfly' },
    }),
    path: `${QUESTION_PATH.notes}.visibleIf.value`,
    message: 'must be an option value of question "valve_type": gate, osy',
  },
  {
    name: 'condition with an invalid yes/no value',
    definition: withQuestion(4, {
      visibleIf: { questionId: 'in_service', operator: 'not_equals', value: 'No' },
    }),
    path: `${QUESTION_PATH.notes}.visibleIf.value`,
    message: 'must be one of yes, no, na',
  },
  {
    name: 'condition in group with a bad list item',
    definition: withQuestion(4, {
      visibleIf: {
        all: [
          { questionId: 'pressure', operator: 'answered' },
          { questionId: 'in_service', operator: 'in', value: ['yes', 'maybe'] },
        ],
      },
    }),
    path: `${QUESTION_PATH.notes}.visibleIf.all[1].value[1]`,
    message: 'must be one of yes, no, na',
  },
  {
    name: 'condition in without a list',
    definition: withQuestion(4, {
      visibleIf: { any: [{ questionId: 'in_service', operator: 'in', value: 'yes' }] },
    }),
    path: `${QUESTION_PATH.notes}.visibleIf.any[0].value`,
    message: 'must be a non-empty list of values for operator in',
  },
  {
    name: 'condition equals without a value',
    definition: withQuestion(4, { visibleIf: { questionId: 'in_service', operator: 'equals' } }),
    path: `${QUESTION_PATH.notes}.visibleIf.value`,
    message: 'must be a single value for operator equals',
  },
  {
    name: 'condition answered with a value',
    definition: withQuestion(4, {
      visibleIf: { questionId: 'in_service', operator: 'answered', value: 'yes' },
    }),
    path: `${QUESTION_PATH.notes}.visibleIf.value`,
    message: 'must be left out for operator answered',
  },
  {
    name: 'condition comparing a photo question',
    definition: withQuestion(6, {
      visibleIf: { questionId: 'photos', operator: 'equals', value: 'x' },
    }),
    path: `${QUESTION_PATH.lastTest}.visibleIf.operator`,
    message: 'photo questions support only answered and not_answered',
  },
  {
    name: 'condition with a string on a number question',
    definition: withQuestion(4, {
      visibleIf: { questionId: 'pressure', operator: 'equals', value: '10' },
    }),
    path: `${QUESTION_PATH.notes}.visibleIf.value`,
    message: 'must be a number',
  },
  {
    name: 'flag equals an impossible date',
    definition: withQuestion(6, {
      visibleIf: { questionId: 'condition', operator: 'answered' },
      rules: [{ when: { operator: 'equals', value: '2024-02-30' }, severity: 'low', message: 'x' }],
    }),
    path: `${QUESTION_PATH.lastTest}.rules[0].when.value`,
    message: 'must be a date in YYYY-MM-DD form',
  },
  {
    name: 'flag lt on a yes/no question',
    definition: withQuestion(0, {
      rules: [{ when: { operator: 'lt', value: 1 }, severity: 'high', message: 'x' }],
    }),
    path: `${QUESTION_PATH.inService}.rules[0].when.operator`,
    message: 'lt applies only to number and rating questions',
  },
  {
    name: 'flag gte with a string',
    definition: withQuestion(2, {
      rules: [{ when: { operator: 'gte', value: 'high' }, severity: 'high', message: 'x' }],
    }),
    path: `${QUESTION_PATH.pressure}.rules[0].when.value`,
    message: 'must be a number for operator gte',
  },
  {
    name: 'flag equals an unknown option',
    definition: withQuestion(1, {
      rules: [{ when: { operator: 'equals', value: 'butterfly' }, severity: 'low', message: 'x' }],
    }),
    path: `${QUESTION_PATH.valveType}.rules[0].when.value`,
    message: 'must be an option value of question "valve_type": gate, osy',
  },
  {
    name: 'flag equals a rating out of range',
    definition: withQuestion(3, {
      rules: [{ when: { operator: 'equals', value: 6 }, severity: 'low', message: 'x' }],
    }),
    path: `${QUESTION_PATH.rating}.rules[0].when.value`,
    message: 'must be a whole number from 1 to 5',
  },
  {
    name: 'flag not_answered with a value',
    definition: withQuestion(5, {
      rules: [{ when: { operator: 'not_answered', value: 'x' }, severity: 'low', message: 'x' }],
    }),
    path: `${QUESTION_PATH.photos}.rules[0].when.value`,
    message: 'must be left out for operator not_answered',
  },
];

describe('validateTemplateDefinition', () => {
  it('accepts a valid template', () => {
    expect(validateTemplateDefinition(buildTemplate())).toEqual([]);
  });

  it('accepts conditions and rules that fit', () => {
    const definition = buildTemplate((questions) => {
      questions[4] = {
        ...(questions[4] as Question),
        visibleIf: {
          any: [
            { questionId: 'in_service', operator: 'in', value: ['no', 'na'] },
            { questionId: 'pressure', operator: 'equals', value: 12.5 },
          ],
        },
      };
      questions[2] = {
        ...(questions[2] as Question),
        rules: [{ when: { operator: 'lt', value: 40 }, severity: 'high', message: 'Low pressure' }],
      };
    });

    expect(validateTemplateDefinition(definition)).toEqual([]);
  });

  it.each(BROKEN_CASES)('reports $name', ({ definition, path, message }) => {
    expect(validateTemplateDefinition(definition)).toEqual([{ path, message }]);
  });

  it('reports every problem of a template', () => {
    const definition = buildTemplate((questions) => {
      questions[1] = { ...(questions[1] as Question), options: [] };
      questions[2] = { ...(questions[2] as Question), min: 5, max: 1 };
    });

    expect(validateTemplateDefinition(definition).map((problem) => problem.path)).toEqual([
      `${QUESTION_PATH.valveType}.options`,
      `${QUESTION_PATH.pressure}.max`,
    ]);
  });
});
