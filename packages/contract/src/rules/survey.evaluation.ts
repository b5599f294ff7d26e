import type {
  AnswerValue,
  FlagRule,
  Question,
  Section,
  Severity,
  TemplateDefinition,
} from '../templates.ts';
import type { RiskLevel } from '../surveys.schemas.ts';
import { isAnswered, matchesFlagTest } from './answer.matcher.ts';
import { createVisibilityResolver, indexQuestions, type AnswerMap } from './visibility.ts';

export interface SurveyFlag {
  readonly questionId: string;
  readonly sectionId: string;
  readonly sectionTitle: string;
  readonly questionLabel: string;
  /** The answer that raised the flag, or null for a `not_answered` rule. */
  readonly answer: AnswerValue | null;
  readonly severity: Severity;
  readonly message: string;
}

export interface MissingAnswer {
  readonly questionId: string;
  readonly label: string;
  readonly sectionTitle: string;
}

export interface SurveyEvaluation {
  /** Findings in template order. A question whose answer passes several rules has several. */
  readonly flags: readonly SurveyFlag[];
  readonly missingRequired: readonly MissingAnswer[];
  /** Severity-weighted compliance from 0 to 100 with one decimal, defined at `evaluateSurvey`. */
  readonly score: number;
  readonly riskLevel: RiskLevel;
  /** Visible questions with an answer, where `na` counts as an answer. */
  readonly answeredCount: number;
  /** Visible questions, answered or not. */
  readonly applicableCount: number;
}

/** Weight of each severity in the score. A critical finding costs ten times a low one. */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  low: 1,
  medium: 3,
  high: 6,
  critical: 10,
};

const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Lowest score of each risk level. A score under 50 is critical. */
const SCORE_RISK_FLOORS: readonly { readonly minScore: number; readonly level: RiskLevel }[] = [
  { minScore: 90, level: 'low' },
  { minScore: 75, level: 'medium' },
  { minScore: 50, level: 'high' },
];

interface Tally {
  flags: SurveyFlag[];
  missingRequired: MissingAnswer[];
  answeredCount: number;
  applicableCount: number;
  possibleWeight: number;
  lostWeight: number;
}

/**
 * Evaluates a survey's answers against its template: the findings raised by flag rules, the
 * required questions still blank, a score and a risk level. Hidden questions never flag and
 * are never missing. An `na` answer never flags.
 *
 * Score: every visible question that has flag rules and is not answered `na` is scored once it
 * is answered or one of its rules fires. It can lose the weight of its most severe rule
 * (`SEVERITY_WEIGHTS`) and loses the weight of its most severe fired rule. The score is
 * `100 * (1 - lost / possible)`, rounded to one decimal, and 100 when nothing is scored.
 *
 * Risk level: the higher of the worst flag's severity (low when there is no flag) and the level
 * of the score (90 and over low, 75 and over medium, 50 and over high, below 50 critical).
 *
 * @example
 * const evaluation = evaluateSurvey(template, new Map([['valves_open', 'no']]));
 * evaluation.riskLevel; // 'critical' when that rule's severity is critical
 */
export function evaluateSurvey(
  definition: TemplateDefinition,
  answers: AnswerMap,
): SurveyEvaluation {
  const isVisible = createVisibilityResolver(answers, indexQuestions(definition));
  const tally: Tally = {
    flags: [],
    missingRequired: [],
    answeredCount: 0,
    applicableCount: 0,
    possibleWeight: 0,
    lostWeight: 0,
  };

  for (const section of definition.sections) {
    for (const question of section.questions) {
      if (isVisible(question)) {
        tallyQuestion(tally, section, question, answers.get(question.id));
      }
    }
  }

  const score = computeScore(tally.possibleWeight, tally.lostWeight);
  return {
    flags: tally.flags,
    missingRequired: tally.missingRequired,
    score,
    riskLevel: decideRiskLevel(tally.flags, score),
    answeredCount: tally.answeredCount,
    applicableCount: tally.applicableCount,
  };
}

function tallyQuestion(
  tally: Tally,
  section: Section,
  question: Question,
  answer: AnswerValue | undefined,
): void {
  const answered = isAnswered(answer);
  tally.applicableCount += 1;
  tally.answeredCount += answered ? 1 : 0;
  if (question.required && !answered) {
    tally.missingRequired.push({
      questionId: question.id,
      label: question.label,
      sectionTitle: section.title,
    });
  }

  const rules = question.rules ?? [];
  if (rules.length === 0 || answer === 'na') {
    return;
  }

  const fired = rules.filter((rule) => matchesFlagTest(rule.when, answer));
  if (answered || fired.length > 0) {
    tally.possibleWeight += maxWeight(rules);
    tally.lostWeight += maxWeight(fired);
  }

  for (const rule of fired) {
    tally.flags.push(toFlag(section, question, answered ? answer : null, rule));
  }
}

function toFlag(
  section: Section,
  question: Question,
  answer: AnswerValue | null,
  rule: FlagRule,
): SurveyFlag {
  return {
    questionId: question.id,
    sectionId: section.id,
    sectionTitle: section.title,
    questionLabel: question.label,
    answer,
    severity: rule.severity,
    message: rule.message,
  };
}

function maxWeight(rules: readonly FlagRule[]): number {
  return Math.max(0, ...rules.map((rule) => SEVERITY_WEIGHTS[rule.severity]));
}

function computeScore(possibleWeight: number, lostWeight: number): number {
  if (possibleWeight === 0) {
    return 100;
  }

  return Math.round(1000 * (1 - lostWeight / possibleWeight)) / 10;
}

function decideRiskLevel(flags: readonly SurveyFlag[], score: number): RiskLevel {
  const flagRank = Math.max(0, ...flags.map((flag) => SEVERITY_ORDER.indexOf(flag.severity)));
  const scoreLevel =
    SCORE_RISK_FLOORS.find((floor) => score >= floor.minScore)?.level ?? 'critical';
  const rank = Math.max(flagRank, SEVERITY_ORDER.indexOf(scoreLevel));
  return SEVERITY_ORDER[rank] ?? 'critical';
}
