import type {
  ChoiceOption,
  Condition,
  Question,
  QuestionType,
  Section,
  TemplateDefinition,
} from '@avior/contract';
import { buildFindingRules } from './fire-protection.findings.ts';
import {
  correctLabel,
  optionLabel,
  optionValue,
  SECTION_TITLES,
} from './fire-protection.labels.ts';
import {
  readFireProtectionSource,
  type SourceQuestion,
  type SourceSection,
} from './fire-protection.source.ts';
import { validateTemplateDefinition } from './template.validator.ts';

export const FIRE_PROTECTION_TEMPLATE_KEY = 'fire-protection-inspection';

interface TypeMapping {
  readonly type: QuestionType;
  readonly multiline?: boolean;
}

/**
 * Question types of the source form and their template types. The fire pump flow test and
 * electric driver tables become multiline text because templates have no grid question: the
 * inspector types one reading per line.
 */
export const SOURCE_TYPE_MAPPING: Readonly<Record<string, TypeMapping>> = {
  ynan: { type: 'yes_no_na' },
  select: { type: 'single_choice' },
  'text-input': { type: 'text' },
  'text-box': { type: 'text', multiline: true },
  'date-input': { type: 'date' },
  'input-date': { type: 'date' },
  'image-upload': { type: 'photo' },
  'flow-test-table': { type: 'text', multiline: true },
  'electric-driven-table': { type: 'text', multiline: true },
};

/** Source questions whose source type cannot hold their answer. */
export const TYPE_OVERRIDES: Readonly<Record<string, TypeMapping>> = {
  // "Type of pipe" is a yes/no question in the source, but its answer is a pipe material.
  pipe_pipe_type: { type: 'text' },
};

const ALARM_IN_SERVICE: Condition = {
  questionId: 'general_alarm_inservice',
  operator: 'equals',
  value: 'yes',
};
const ANTIFREEZE_PRESENT: Condition = {
  questionId: 'wetpipe_antifreeze_texted',
  operator: 'in',
  value: ['yes', 'no'],
};
const ELECTRIC_DRIVER: Condition = {
  questionId: 'pump_driver',
  operator: 'equals',
  value: 'electric',
};
const JOCKEY_PUMP: Condition = { questionId: 'pump_jockey', operator: 'equals', value: 'yes' };

function taggedWith(questionId: string): Condition {
  return { questionId, operator: 'equals', value: 'yes' };
}

/**
 * Questions that the source words as conditional ("If tagged what color", "If electric motor",
 * "If no main drain test was performed"), or that only apply to equipment an earlier answer
 * reports as present. An `na` on the antifreeze test means the system has no antifreeze loop.
 */
export const CONDITIONAL_QUESTIONS: Readonly<Record<string, Condition>> = {
  general_alarm_notified: ALARM_IN_SERVICE,
  general_alarm_name: ALARM_IN_SERVICE,
  general_alarm_password: ALARM_IN_SERVICE,
  general_alarm_phone: ALARM_IN_SERVICE,
  wetpipe_antifreeze_type: ANTIFREEZE_PRESENT,
  wetpipe_antifreeze_solution_temperature_text: ANTIFREEZE_PRESENT,
  wetpipe_antifreeze_solution_percentage: ANTIFREEZE_PRESENT,
  wetpipe_antifreeze_gallons: ANTIFREEZE_PRESENT,
  wetpipe_maindrain_notext: {
    questionId: 'wetpipe_maindrain_satisfactory',
    operator: 'in',
    value: ['no', 'na'],
  },
  wetpipe_tagged_color: taggedWith('wetpipe_tagged'),
  drypipe_tagged_color: taggedWith('drypipe_tagged'),
  tanks_tagged_color: taggedWith('tanks_tagged'),
  foam_tagged_color: taggedWith('foam_tagged'),
  stand_tagged_color: taggedWith('stand_tagged'),
  transfer_tagged_color: taggedWith('transfer_tagged'),
  pump_driver_rated_voltage: ELECTRIC_DRIVER,
  pump_driver_operating_voltage: ELECTRIC_DRIVER,
  pump_driver_rated_amps: ELECTRIC_DRIVER,
  pump_driver_cycles: ELECTRIC_DRIVER,
  electric_driven_table: ELECTRIC_DRIVER,
  pump_jockey_on_psi: JOCKEY_PUMP,
  pump_jockey_off_psi: JOCKEY_PUMP,
  pump_jockey_label: JOCKEY_PUMP,
};

/**
 * Questions required besides the yes/no checks. Every yes/no check is required because `na`
 * lets the inspector answer it for equipment the site does not have.
 */
const REQUIRED_QUESTION_IDS: ReadonlySet<string> = new Set(['general_report_internal_code']);

let cachedTemplate: TemplateDefinition | undefined;

/**
 * Returns the fire-protection inspection template built from the checklist in
 * `fixtures/forms`. The result is frozen and built once per process.
 *
 * @example
 * const template = loadFireProtectionTemplate();
 * template.sections.length; // 12
 */
export function loadFireProtectionTemplate(): TemplateDefinition {
  cachedTemplate ??= deepFreeze(convertFireProtectionForm(readFireProtectionSource()));
  return cachedTemplate;
}

/**
 * Converts the source checklist into a template and throws when the result breaks a template
 * rule. Question ids are the source names. A section or question name used twice gets `_2`,
 * `_3` and so on in reading order, so the conversion stays deterministic. The shipped form
 * repeats no name.
 */
export function convertFireProtectionForm(source: readonly SourceSection[]): TemplateDefinition {
  const sectionIds = new Set<string>();
  const questionIds = new Set<string>();
  const definition: TemplateDefinition = {
    key: FIRE_PROTECTION_TEMPLATE_KEY,
    title: 'Fire protection system inspection',
    description:
      'Inspection of sprinkler, standpipe, fire pump, water tank, foam and portable ' +
      'extinguisher equipment.',
    sections: source.map((section) => convertSection(section, sectionIds, questionIds)),
  };

  const problems = validateTemplateDefinition(definition);
  if (problems.length > 0) {
    const list = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new Error(`Fire-protection template invalid: ${list}`);
  }

  return definition;
}

function convertSection(
  section: SourceSection,
  sectionIds: Set<string>,
  questionIds: Set<string>,
): Section {
  return {
    id: uniqueId(section.name, sectionIds),
    title: SECTION_TITLES[section.name] ?? correctLabel(section.name, section.name),
    questions: section.questions.map((question) => convertQuestion(question, questionIds)),
  };
}

function convertQuestion(source: SourceQuestion, usedIds: Set<string>): Question {
  const mapping = TYPE_OVERRIDES[source.name] ?? SOURCE_TYPE_MAPPING[source.type];
  if (mapping === undefined) {
    throw new Error(
      `Fire-protection form invalid: question ${source.name} has unknown type ${source.type}`,
    );
  }

  const label = correctLabel(source.name, source.text);
  return {
    id: uniqueId(source.name, usedIds),
    type: mapping.type,
    label,
    required: mapping.type === 'yes_no_na' || REQUIRED_QUESTION_IDS.has(source.name),
    ...(mapping.multiline ? { multiline: true } : {}),
    ...(mapping.type === 'single_choice' ? { options: convertOptions(source.options) } : {}),
    ...(mapping.type === 'yes_no_na' ? { rules: buildFindingRules(source.name, label) } : {}),
    ...(CONDITIONAL_QUESTIONS[source.name]
      ? { visibleIf: CONDITIONAL_QUESTIONS[source.name] }
      : {}),
  };
}

// The source repeats some options ("Gate valve" twice), so a value seen before is skipped.
function convertOptions(sourceOptions: readonly string[]): ChoiceOption[] {
  const options = new Map<string, ChoiceOption>();
  for (const text of sourceOptions) {
    const value = optionValue(text);
    if (!options.has(value)) {
      options.set(value, { value, label: optionLabel(text) });
    }
  }

  return [...options.values()];
}

function uniqueId(name: string, usedIds: Set<string>): string {
  let id = name;
  for (let suffix = 2; usedIds.has(id); suffix += 1) {
    id = `${name}_${suffix}`;
  }

  usedIds.add(id);
  return id;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }

  return value;
}
