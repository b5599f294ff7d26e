import { Type, type Static } from 'typebox';

/**
 * Survey templates: the checklist an inspector answers, its conditional questions and the rules
 * that turn answers into findings. The schemas check shape only. The server's template validator
 * checks the rules that span questions (unique ids, conditions pointing backwards, option values).
 *
 * @example
 * const template: TemplateDefinition = {
 *   key: 'boiler-room',
 *   title: 'Boiler room walk-through',
 *   sections: [
 *     {
 *       id: 'access',
 *       title: 'Access',
 *       questions: [
 *         {
 *           id: 'door_clear',
 *           type: 'yes_no_na',
 *           label: 'Is the door free of obstructions?',
 *           required: true,
 *           rules: [
 *             {
 *               when: { operator: 'equals', value: 'no' },
 *               severity: 'high',
 *               message: 'Exit blocked',
 *             },
 *           ],
 *         },
 *       ],
 *     },
 *   ],
 * };
 */

export const QUESTION_TYPES = [
  'yes_no_na',
  'single_choice',
  'multiple_choice',
  'text',
  'number',
  'date',
  'photo',
  'rating',
] as const;
export const QuestionType = Type.Enum(QUESTION_TYPES);
export type QuestionType = Static<typeof QuestionType>;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = Type.Enum(SEVERITIES);
export type Severity = Static<typeof Severity>;

/** Answer values of a yes_no_na question, in the order a form shows them. */
export const YES_NO_NA_VALUES = ['yes', 'no', 'na'] as const;
export type YesNoNa = (typeof YES_NO_NA_VALUES)[number];

/** Maximum length of a text answer, in UTF-16 code units (JavaScript string length). */
export const TEXT_ANSWER_MAX_LENGTH = 10_000;

/** Rating questions run from 1 to `max`, and this is `max` when the question leaves it out. */
export const RATING_DEFAULT_MAX = 5;
export const RATING_MAX_LOWEST = 2;
export const RATING_MAX_HIGHEST = 10;

/** Section and question ids: a letter, then letters, digits, `_` or `-`. */
export const TemplateId = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_-]*$',
  maxLength: 100,
});

/** Template keys are kebab-case, e.g. `fire-protection-inspection`. */
export const TemplateKey = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 100,
});

export const ChoiceOption = Type.Object({
  value: Type.String({ minLength: 1, maxLength: 200 }),
  label: Type.String({ minLength: 1, maxLength: 500 }),
});
export type ChoiceOption = Static<typeof ChoiceOption>;

/**
 * The value a condition or flag test compares an answer with: an option value or yes/no/na
 * string, a number for number and rating questions, or a list of those for `in`.
 */
export const ComparedValue = Type.Union([
  Type.String({ maxLength: 200 }),
  Type.Number(),
  Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number()]), { minItems: 1 }),
]);
export type ComparedValue = Static<typeof ComparedValue>;

/**
 * Operators of a visibility condition. Every operator except `answered` is false while the
 * source question has no answer. On a multiple_choice answer, `equals` means "includes".
 */
export const CONDITION_OPERATORS = ['equals', 'not_equals', 'in', 'answered'] as const;
export const ConditionOperator = Type.Enum(CONDITION_OPERATORS);
export type ConditionOperator = Static<typeof ConditionOperator>;

/** A test on the answer of one earlier question. */
export const AnswerCondition = Type.Object({
  questionId: TemplateId,
  operator: ConditionOperator,
  value: Type.Optional(ComparedValue),
});
export type AnswerCondition = Static<typeof AnswerCondition>;

/** One answer test, or a group in which all tests (`all`) or at least one (`any`) must pass. */
export const Condition = Type.Union([
  AnswerCondition,
  Type.Object({ all: Type.Array(AnswerCondition, { minItems: 1 }) }),
  Type.Object({ any: Type.Array(AnswerCondition, { minItems: 1 }) }),
]);
export type Condition = Static<typeof Condition>;

/**
 * Operators of a flag test on a question's own answer. `lt`, `gt`, `lte` and `gte` apply to
 * number and rating questions only. `not_answered` fires on a visible question left blank.
 */
export const FLAG_OPERATORS = ['equals', 'in', 'lt', 'gt', 'lte', 'gte', 'not_answered'] as const;
export const FlagOperator = Type.Enum(FLAG_OPERATORS);
export type FlagOperator = Static<typeof FlagOperator>;

export const FlagTest = Type.Object({
  operator: FlagOperator,
  value: Type.Optional(ComparedValue),
});
export type FlagTest = Static<typeof FlagTest>;

/** A finding raised when the question's answer passes `when`. */
export const FlagRule = Type.Object({
  when: FlagTest,
  severity: Severity,
  message: Type.String({ minLength: 1, maxLength: 500 }),
});
export type FlagRule = Static<typeof FlagRule>;

/**
 * A question. `options` apply to choice questions, `min`, `max` and `step` to number questions,
 * `max` to rating questions (2 to 10, default 5) and `multiline` to text questions.
 */
export const Question = Type.Object({
  id: TemplateId,
  type: QuestionType,
  label: Type.String({ minLength: 1, maxLength: 1000 }),
  help: Type.Optional(Type.String({ maxLength: 2000 })),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(ChoiceOption)),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  step: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  multiline: Type.Optional(Type.Boolean()),
  visibleIf: Type.Optional(Condition),
  rules: Type.Optional(Type.Array(FlagRule)),
});
export type Question = Static<typeof Question>;

export const Section = Type.Object({
  id: TemplateId,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  questions: Type.Array(Question, { minItems: 1 }),
});
export type Section = Static<typeof Section>;

export const TemplateDefinition = Type.Object({
  key: TemplateKey,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  sections: Type.Array(Section, { minItems: 1 }),
});
export type TemplateDefinition = Static<typeof TemplateDefinition>;

/**
 * A stored answer. By question type: yes_no_na `'yes' | 'no' | 'na'`, single_choice an option
 * value, multiple_choice option values, text a string, number a number, date `YYYY-MM-DD`,
 * photo media ids, rating an integer from 1 to the question's max. `null` clears an answer.
 */
export const AnswerValue = Type.Union([
  Type.String({ maxLength: TEXT_ANSWER_MAX_LENGTH }),
  Type.Number(),
  Type.Array(Type.String({ maxLength: 200 })),
]);
export type AnswerValue = Static<typeof AnswerValue>;
