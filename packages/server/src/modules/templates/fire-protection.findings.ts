import type { FlagRule, Severity, YesNoNa } from '@avior/contract';

/** A row of the severity table: the first row whose pattern matches a label decides. */
interface SeverityRow {
  readonly pattern: RegExp;
  readonly severity: Severity;
  readonly finding: string;
}

/**
 * Severity of a failed yes/no check, chosen by keywords in its label. Rows are ordered from
 * specific to general because the first match wins. Labels matching no row are medium. The
 * table was fitted to the fire-protection checklist's questions and the importer's tests pin
 * the severity of known questions.
 */
export const SEVERITY_TABLE: readonly SeverityRow[] = [
  {
    pattern: /\bnotified\b|\btagged\b|\blabels?\b|\bsigns?\b|\bplate\b|\bcalc card\b/i,
    severity: 'low',
    finding: 'paperwork, tags or signage incomplete',
  },
  {
    pattern: /\bhoses? .*in service\b/i,
    severity: 'high',
    finding: 'hose equipment out of service',
  },
  {
    pattern: /\b(in|out of|returned to) service\b|\bimpair/i,
    severity: 'critical',
    finding: 'fire protection may be impaired or out of service',
  },
  {
    pattern: /\btamper|\bsupervis|\bmonitored\b|\blocked\b/i,
    severity: 'high',
    finding: 'valve supervision not confirmed',
  },
  {
    pattern: /^control valves? (are )?(sealed )?(in (the )?(open|normal(ly open)?)|fully open)\b/i,
    severity: 'critical',
    finding: 'a control valve not confirmed open can shut off the water supply',
  },
  {
    pattern: /\bfires? reported\b/i,
    severity: 'high',
    finding: 'a fire since the last inspection calls for checking the system for damage',
  },
  {
    pattern: /\bmodifications\b/i,
    severity: 'medium',
    finding: 'system modified since the last inspection and the changes need review',
  },
  {
    pattern: /\bleaks?\b|\bcorrosion\b/i,
    severity: 'high',
    finding: 'leaks or corrosion not ruled out',
  },
  {
    pattern: /\bobstruct|\bunobstructed\b/i,
    severity: 'high',
    finding: 'water flow or access may be obstructed',
  },
  {
    pattern:
      /\bfreez|\bheat(ed|ers?|ing)?\b|\bcold weather\b|\blow points drained\b|\bheat tape\b/i,
    severity: 'high',
    finding: 'freeze protection not confirmed',
  },
  {
    pattern: /\blubricat|\bcleaned\b|\bexercised\b|\btightened\b|\bchanged\b/i,
    severity: 'medium',
    finding: 'routine maintenance not done',
  },
  {
    pattern: /\bdrainage\b|\brecorded\b/i,
    severity: 'medium',
    finding: 'test procedure not followed',
  },
  {
    pattern: /\bdamage|\bhangers?\b|\bbracing\b/i,
    severity: 'high',
    finding: 'piping support or condition deficient',
  },
  {
    pattern: /\bcoverage\b|\bcover\b|\bprotected\b|\bproper class\b/i,
    severity: 'high',
    finding: 'the hazard may not be fully protected',
  },
  {
    pattern: /\brecall\b|\btemperature rating\b|\byears? old\b|\bolder than\b|\bfull of liquid\b/i,
    severity: 'high',
    finding: 'sprinklers may not operate as designed',
  },
  {
    pattern:
      /\balarms?\b|\bflow (switch|indicator)|\bdetection\b|\bactuation\b|\brelease devices\b/i,
    severity: 'high',
    finding: 'alarm or detection function not confirmed',
  },
  {
    pattern: /\bvalves?\b(?! rooms?\b)/i,
    severity: 'high',
    finding: 'valve condition or operation not confirmed',
  },
  {
    pattern:
      /\bmain drain\b|\btrip test\b|\bflow test\b|\bbackflow\b|\bhydrostatic\b|\bair pressure\b/i,
    severity: 'high',
    finding: 'water supply or system test not satisfactory',
  },
  {
    pattern: /\bpower (failure|source)\b|\bbattery\b|\bcharger\b|\bcircuit breakers\b/i,
    severity: 'high',
    finding: 'the fire pump power supply is not confirmed',
  },
  {
    pattern: /\boverload\b|\bsuction supply\b|\bpeak load\b|\bmaximum allowable discharge\b/i,
    severity: 'high',
    finding: 'the fire pump may not deliver its rated flow',
  },
];

const DEFAULT_FINDING = { severity: 'medium', finding: 'item not satisfactory' } as const;

/**
 * Questions that ask whether something bad happened or exists, such as "Have there been any
 * modifications to the system since the last inspection?". For these a Yes is the finding.
 * Labels that name a bad condition only to deny it ("No indication of serious corrosion?",
 * "Piping free of leaks and corrosion?") start otherwise and keep No as the finding.
 */
const ADVERSE_QUESTION = /^(have there been|has there been|are there|is there|any)\b/i;

/**
 * Yes/no questions that describe the system instead of checking it (occupied building, hydraulic
 * or pipe schedule design, jockey pump present). Neither answer is a finding.
 */
export const DESCRIPTIVE_QUESTION_IDS: ReadonlySet<string> = new Set([
  'general_occupied',
  'general_hydrolic_calculated',
  'general_pipe_schedule',
  'pump_jockey',
]);

/** Returns the answer that counts as a finding for a yes/no question's label. */
export function findingAnswer(label: string): Exclude<YesNoNa, 'na'> {
  return ADVERSE_QUESTION.test(label) ? 'yes' : 'no';
}

/** Returns the severity and finding text of a failed check, from `SEVERITY_TABLE`. */
export function classifyFinding(label: string): { severity: Severity; finding: string } {
  const row = SEVERITY_TABLE.find((candidate) => candidate.pattern.test(label));
  return row ?? DEFAULT_FINDING;
}

/**
 * Builds the flag rules of a yes/no question: one rule on the answer that is a finding, or none
 * for a descriptive question.
 */
export function buildFindingRules(questionId: string, label: string): FlagRule[] {
  if (DESCRIPTIVE_QUESTION_IDS.has(questionId)) {
    return [];
  }

  const answer = findingAnswer(label);
  const { severity, finding } = classifyFinding(label);
  const answerText = answer === 'yes' ? 'Yes' : 'No';
  return [
    { when: { operator: 'equals', value: answer }, severity, message: `${answerText}: ${finding}` },
  ];
}
