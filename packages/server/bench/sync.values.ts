import {
  ratingMax,
  validateAnswer,
  YES_NO_NA_VALUES,
  type AnswerValue,
  type Question,
} from '@avior/contract';

/** Returns numbers in [0, 1) from a fixed seed, so every run pushes the same answers. */
export type Random = () => number;

/** Answer value with the note an inspector may add to it. */
export interface AnswerSide {
  readonly value: AnswerValue;
  readonly note?: string;
}

const TEXT_ANSWERS = [
  'Checked, no defects seen',
  'Gauge reads within the marked range',
  'Signage faded, replace at the next visit',
  'Access panel refitted after the check',
  'Tested with the site engineer present',
  'Label missing, asked the site to replace it',
] as const;

const DEFECT_NOTES = [
  'Door held open with a wedge',
  'Pipe bracket loose near the riser',
  'Cabinet blocked by stored pallets',
  'Service tag out of date',
] as const;

const NOVEMBER_DATES = Array.from(
  { length: 28 },
  (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`,
);

/** Creates a mulberry32 generator, a small and fast PRNG that is plenty for test data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Picks a valid answer for the question, as an inspector on site would give it: mostly "yes",
 * with a note on each "no". Passing `other` returns a value different from it, so two devices
 * answering the same question disagree. Raises an error for photo questions, which need
 * uploaded media.
 */
export function pickAnswer(question: Question, random: Random, other?: AnswerSide): AnswerSide {
  const candidates = candidateValues(question, random).filter(
    (value) => other === undefined || JSON.stringify(value) !== JSON.stringify(other.value),
  );
  const value = candidates[0];
  if (value === undefined) {
    throw new Error(`Question ${question.id} has no second value to disagree with`);
  }

  const check = validateAnswer(question, value);
  if (!check.ok) throw new Error(`Generated answer to ${question.id} is invalid: ${check.message}`);

  return value === 'no' ? { value, note: pick(DEFECT_NOTES, random) } : { value };
}

/** Returns values for the question, the preferred one first and at least two when possible. */
function candidateValues(question: Question, random: Random): AnswerValue[] {
  switch (question.type) {
    case 'yes_no_na':
      return yesNoNaOrder(random);
    case 'single_choice':
      return rotate(
        (question.options ?? []).map((option) => option.value),
        random,
      );
    case 'multiple_choice':
      return rotate(question.options ?? [], random).map((option) => [option.value]);
    case 'text':
      return rotate([...TEXT_ANSWERS], random);
    case 'date':
      return rotate(NOVEMBER_DATES, random);
    case 'number':
      return rotate(numbersInRange(question), random);
    case 'rating':
      return rotate(
        Array.from({ length: ratingMax(question) }, (_, index) => index + 1),
        random,
      );
    case 'photo':
      throw new Error(`Photo question ${question.id} needs uploaded media and is not answered`);
  }
}

// Most items of a fire-protection checklist pass, so "yes" is the usual answer.
function yesNoNaOrder(random: Random): AnswerValue[] {
  const roll = random();
  let first: (typeof YES_NO_NA_VALUES)[number] = 'na';
  if (roll < 0.75) first = 'yes';
  else if (roll < 0.9) first = 'no';

  return [first, ...YES_NO_NA_VALUES.filter((value) => value !== first)];
}

function numbersInRange(question: Question): number[] {
  const min = Math.ceil(question.min ?? 0);
  const max = Math.floor(question.max ?? min + 100);
  return Array.from({ length: Math.min(max - min + 1, 20) }, (_, index) => min + index);
}

function rotate<T>(values: readonly T[], random: Random): T[] {
  const start = Math.floor(random() * values.length);
  return [...values.slice(start), ...values.slice(0, start)];
}

function pick<T>(values: readonly T[], random: Random): T {
  return values[Math.floor(random() * values.length)] as T;
}
