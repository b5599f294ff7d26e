/**
 * Break opportunities for report text: a small subset of the Unicode line breaking
 * algorithm (UAX #14) that covers the scripts the report fonts draw. Lines break after
 * spaces, after a hyphen inside a word, and between CJK characters, except before closing
 * punctuation and after opening punctuation (the basic kinsoku rule).
 */

const SPACE = 1;
const MARK = 2;
const ALPHANUMERIC = 4;
const HYPHEN = 8;
const IDEOGRAPHIC = 16;
const NO_BREAK_BEFORE = 32;
const NO_BREAK_AFTER = 64;

const TRAIT_PATTERNS: readonly (readonly [number, RegExp])[] = [
  [SPACE, /^\s$/u],
  [MARK, /^\p{M}$/u],
  [ALPHANUMERIC, /^[\p{L}\p{N}]$/u],
  [HYPHEN, /^[-\u2010]$/u],
  [
    IDEOGRAPHIC,
    /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]$/u,
  ],
  [
    NO_BREAK_BEFORE,
    /^[)\]}!,.:;?%、。，．：；！？）」』】〕〉》〗〙〛”’〞ー々〻ぁぃぅぇぉっゃゅょァィゥェォッャュョ]$/u,
  ],
  [NO_BREAK_AFTER, /^[([{（「『【〔〈《〖〘〚“‘〝]$/u],
];

/** Traits per character, cached because a long report tests the same few hundred characters. */
const traitCache = new Map<string, number>();

function traitsOf(character: string): number {
  let traits = traitCache.get(character);
  if (traits === undefined) {
    traits = 0;
    for (const [trait, pattern] of TRAIT_PATTERNS) {
      traits |= pattern.test(character) ? trait : 0;
    }
    traitCache.set(character, traits);
  }
  return traits;
}

function canBreakBetween(previous: number, next: number, alphanumericBefore: boolean): boolean {
  if (next & (MARK | NO_BREAK_BEFORE) || previous & NO_BREAK_AFTER) {
    return false;
  }
  if (previous & SPACE) {
    return (next & SPACE) === 0;
  }
  if (next & SPACE) {
    return false;
  }
  if ((previous | next) & IDEOGRAPHIC) {
    return true;
  }
  return (previous & HYPHEN) !== 0 && alphanumericBefore && (next & ALPHANUMERIC) !== 0;
}

/**
 * Splits one paragraph (text without line feeds) into units that must stay on one line.
 * Each unit keeps its trailing spaces.
 *
 * @example
 * splitBreakUnits('well-known 消防栓。');
 * // ['well-', 'known ', '消', '防', '栓。']
 */
export function splitBreakUnits(paragraph: string): string[] {
  const units: string[] = [];
  let unitStart = 0;
  let index = 0;
  let previous = 0;
  // A hyphen is a break opportunity only after a letter or digit of the same unit.
  let alphanumericBefore = false;

  for (const character of paragraph) {
    const traits = traitsOf(character);
    if (index > unitStart && canBreakBetween(previous, traits, alphanumericBefore)) {
      units.push(paragraph.slice(unitStart, index));
      unitStart = index;
      alphanumericBefore = false;
    }
    alphanumericBefore ||= (previous & ALPHANUMERIC) !== 0 && index > unitStart;
    previous = traits;
    index += character.length;
  }
  if (index > unitStart) {
    units.push(paragraph.slice(unitStart));
  }
  return units;
}

/** Splits text at line feeds, accepting CRLF and CR line endings too. */
export function splitParagraphs(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits a unit into user-perceived characters, for words wider than a whole line. */
export function splitGraphemes(unit: string): string[] {
  return Array.from(graphemes.segment(unit), (part) => part.segment);
}
