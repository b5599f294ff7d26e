import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TemplateDefinition, type Question, type QuestionType } from '@avior/contract';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  CONDITIONAL_QUESTIONS,
  convertFireProtectionForm,
  loadFireProtectionTemplate,
  SOURCE_TYPE_MAPPING,
  TYPE_OVERRIDES,
} from './fire-protection.importer.ts';
import { validateTemplateDefinition } from './template.validator.ts';

interface RawQuestion {
  readonly text: string;
  readonly name: string;
  readonly type: string;
  readonly options: readonly string[];
}

type RawSection = { readonly name: string; readonly questions: readonly RawQuestion[] } & Record<
  string,
  unknown
>;

const NESTED_LISTS = [
  'pump_flowTestQuestions',
  'pump_whilePumpIsRunningQuestions',
  'pump_checkListQuestions',
];

const rawForm = createRequire(import.meta.url)(
  fileURLToPath(new URL('../../../fixtures/forms/fire-protection-inspection.cjs', import.meta.url)),
) as readonly RawSection[];

function nestedQuestionsOf(section: RawSection): readonly RawQuestion[] {
  return NESTED_LISTS.flatMap((key) => (section[key] ?? []) as readonly RawQuestion[]);
}

const mainQuestions = rawForm.flatMap((section) => section.questions);
const nestedQuestions = rawForm.flatMap(nestedQuestionsOf);
const rawQuestions = rawForm.flatMap((section) => [
  ...section.questions,
  ...nestedQuestionsOf(section),
]);

const template = loadFireProtectionTemplate();
const questions = template.sections.flatMap((section) => section.questions);
const questionsById = new Map(questions.map((question) => [question.id, question]));

function questionById(id: string): Question {
  const question = questionsById.get(id);
  if (!question) {
    throw new Error(`question ${id} missing from the template`);
  }

  return question;
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  }

  return counts;
}

function expectedType(raw: RawQuestion): QuestionType | undefined {
  return (TYPE_OVERRIDES[raw.name] ?? SOURCE_TYPE_MAPPING[raw.type])?.type;
}

describe('loadFireProtectionTemplate', () => {
  it('has the key and title', () => {
    expect(template.key).toBe('fire-protection-inspection');
    expect(template.title).toBe('Fire protection system inspection');
  });

  it('has 12 sections', () => {
    expect(template.sections).toHaveLength(12);
  });

  it('reads 283 section questions and 84 nested pump questions', () => {
    expect(mainQuestions).toHaveLength(283);
    expect(nestedQuestions).toHaveLength(84);
  });

  it('has 367 questions', () => {
    expect(questions).toHaveLength(367);
  });

  it('keeps every source question once, in source order', () => {
    expect(questions.map((question) => question.id)).toEqual(rawQuestions.map((raw) => raw.name));
  });

  it('matches the TemplateDefinition schema', () => {
    expect(Value.Errors(TemplateDefinition, template)).toEqual([]);
  });

  it('passes the template validator', () => {
    expect(validateTemplateDefinition(template)).toEqual([]);
  });

  it('titles the fire department connection section', () => {
    expect(template.sections[2]?.title).toBe('Fire department connection');
  });

  it('gives every section a title', () => {
    const untitled = template.sections.filter((section) => section.title === section.id);
    expect(untitled).toEqual([]);
  });

  it('maps every source type', () => {
    const unmapped = rawQuestions.filter((raw) => expectedType(raw) === undefined);
    expect(unmapped).toEqual([]);
  });

  it('matches the source type counts', () => {
    expect(countBy(questions, (question) => question.type)).toEqual(
      countBy(rawQuestions, (raw) => expectedType(raw) ?? 'unmapped'),
    );
  });

  it.each([
    ['general_modifications', 'yes_no_na'],
    ['drypipe_trip_text_success', 'yes_no_na'],
    ['heads_make', 'single_choice'],
    ['general_report_internal_code', 'text'],
    ['general_comments', 'text'],
    ['wetpipe_alarm_valve_insp_date', 'date'],
    ['tanks_three_year_date', 'date'],
    ['intro_photo', 'photo'],
    ['flow_test_table', 'text'],
    ['pipe_pipe_type', 'text'],
  ])('maps %s to %s', (id, type) => {
    expect(questionById(id).type).toBe(type);
  });

  it.each(['general_comments', 'flow_test_table', 'electric_driven_table'])(
    'makes %s multiline',
    (id) => {
      expect(questionById(id).multiline).toBe(true);
    },
  );

  it('leaves one-line text single-line', () => {
    expect(questionById('fdc_location').multiline).toBeUndefined();
  });

  it('removes repeated select options', () => {
    expect(questionById('pipe_control_valves_type').options?.map((option) => option.value)).toEqual(
      ['water-valve', 'g-x-g-butterfly', 'osy-valve', 'gate-valve', 'other'],
    );
  });

  it('capitalises option labels', () => {
    expect(questionById('wetpipe_tagged_color').options).toEqual([
      { value: 'red', label: 'Red' },
      { value: 'green', label: 'Green' },
      { value: 'white', label: 'White' },
    ]);
  });

  it('corrects misspelt options', () => {
    const values = questionById('foam_type').options?.map((option) => option.value);
    expect(values).toContain('fluoroprotein-foam');
  });

  it('writes test for the source typo text', () => {
    const withTypo = questions.filter((question) => /\btext(ed|ing|s)?\b/i.test(question.label));
    expect(withTypo.map((question) => question.id)).toEqual([]);
  });

  it('requires the report number', () => {
    expect(questionById('general_report_internal_code').required).toBe(true);
  });

  it('requires every yes/no check', () => {
    const optional = questions.filter((q) => q.type === 'yes_no_na' && !q.required);
    expect(optional).toEqual([]);
  });

  it.each(['general_comments', 'intro_photo', 'heads_make', 'tanks_three_year_date'])(
    'leaves %s optional',
    (id) => {
      expect(questionById(id).required).toBe(false);
    },
  );

  it('makes the alarm company phone conditional', () => {
    expect(questionById('general_alarm_phone').visibleIf).toEqual({
      questionId: 'general_alarm_inservice',
      operator: 'equals',
      value: 'yes',
    });
  });

  it.each(Object.keys(CONDITIONAL_QUESTIONS))('makes %s conditional', (id) => {
    expect(questionById(id).visibleIf).toBeDefined();
  });

  it('is cached', () => {
    expect(loadFireProtectionTemplate()).toBe(template);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(questionById('general_in_service'))).toBe(true);
  });
});

describe('fire-protection flag rules', () => {
  const flagAnswer = (id: string): unknown => questionById(id).rules?.[0]?.when.value;
  const severity = (id: string): unknown => questionById(id).rules?.[0]?.severity;

  it.each(['general_modifications', 'general_fire_reports'])('flags %s on yes', (id) => {
    expect(flagAnswer(id)).toBe('yes');
  });

  it.each([
    'pipe_hangers_corrosion',
    'pipe_piping_leaks',
    'fdc_obstructed',
    'heads_recall',
    'stand_mods',
    'pump_electric_overload',
  ])('flags %s, worded as a denial, on no', (id) => {
    expect(flagAnswer(id)).toBe('no');
  });

  it('flags every other check on no', () => {
    const onYes = questions
      .filter((question) => flagAnswer(question.id) === 'yes')
      .map((question) => question.id);
    expect(onYes).toEqual(['general_modifications', 'general_fire_reports']);
  });

  it.each([
    'general_occupied',
    'general_hydrolic_calculated',
    'general_pipe_schedule',
    'pump_jockey',
  ])('does not flag descriptive question %s', (id) => {
    expect(questionById(id).rules).toEqual([]);
  });

  it.each([
    ['general_in_service', 'critical'],
    ['general_valves_sealed_open', 'critical'],
    ['general_alarm_inservice', 'critical'],
    ['tanks_control_valve', 'critical'],
    ['drypipe_control_open', 'critical'],
    ['general_valves_monitored', 'high'],
    ['stand_control_valves_locked', 'high'],
    ['pipe_piping_leaks', 'high'],
    ['fdc_obstructed', 'high'],
    ['general_waterfill_in_heated', 'high'],
    ['general_fire_reports', 'high'],
    ['pump_chk_list_control_valve_full_range', 'high'],
    ['stand_hose_in_service', 'high'],
    ['transfer_power_alternate', 'high'],
    ['general_modifications', 'medium'],
    ['general_valve_room_good', 'medium'],
    ['pump_chk_list_valve_lubed', 'medium'],
    ['tanks_condition_exterior', 'medium'],
    ['general_calc_card', 'low'],
    ['wetpipe_tagged', 'low'],
    ['extinguisher_labels', 'low'],
    ['general_alarm_notified', 'low'],
  ])('rates %s %s', (id, expected) => {
    expect(severity(id)).toBe(expected);
  });

  it('names the answer in the message', () => {
    expect(questionById('general_in_service').rules?.[0]?.message).toBe(
      'No: fire protection may be impaired or out of service',
    );
  });
});

describe('convertFireProtectionForm', () => {
  const question = (name: string, type = 'ynan'): RawQuestion => ({
    text: `Question ${name}?`,
    name,
    type,
    options: type === 'ynan' ? ['Yes', 'NA', 'No'] : [],
  });

  it('renames a repeated name in reading order', () => {
    const definition = convertFireProtectionForm([
      { name: 'general', questions: [question('check'), question('check')] },
      { name: 'pipe', questions: [question('check')] },
    ]);
    const ids = definition.sections.flatMap((section) => section.questions.map((q) => q.id));

    expect(ids).toEqual(['check', 'check_2', 'check_3']);
  });

  it('rejects an unknown source type', () => {
    const convert = (): unknown =>
      convertFireProtectionForm([{ name: 'general', questions: [question('grid', 'matrix')] }]);

    expect(convert).toThrow('question grid has unknown type matrix');
  });

  it('rejects a condition whose source is missing', () => {
    const convert = (): unknown =>
      convertFireProtectionForm([
        { name: 'general', questions: [question('general_alarm_phone')] },
      ]);

    expect(convert).toThrow('refers to unknown question "general_alarm_inservice"');
  });
});
