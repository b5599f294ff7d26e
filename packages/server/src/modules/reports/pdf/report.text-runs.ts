import type { FontScript } from './report.fonts.ts';

/** A stretch of text drawn with one font family. */
export interface TextRun {
  readonly text: string;
  readonly script: FontScript;
}

/** The part of a fontkit font that reports glyph coverage. */
export interface GlyphCoverage {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

export type ScriptResolver = (codePoint: number) => FontScript;

/**
 * Creates a resolver that picks NotoSans when it has a glyph, NotoSansHans when only it has
 * one, and NotoSans when neither does, so the missing glyph prints as a visible box. Each
 * result is cached.
 *
 * NOTE: Hangul, Arabic, Hebrew, Thai, emoji and Han characters outside GB2312 are in neither
 * font, so they print as empty boxes, and right-to-left text is not reordered.
 */
export function createScriptResolver(latin: GlyphCoverage, cjk: GlyphCoverage): ScriptResolver {
  const cache = new Map<number, FontScript>();

  return (codePoint) => {
    const cached = cache.get(codePoint);
    if (cached !== undefined) {
      return cached;
    }

    let script: FontScript = 'latin';
    if (!latin.hasGlyphForCodePoint(codePoint)) {
      script = cjk.hasGlyphForCodePoint(codePoint) ? 'cjk' : 'latin';
    }
    cache.set(codePoint, script);
    return script;
  };
}

/**
 * Combining marks, format characters (zero-width joiner, variation selectors) and whitespace
 * stay in the run of the character before them. So a base letter keeps its accent, and a
 * space between two CJK words opens no run of its own.
 */
const ATTACHED_CHARACTER = /^[\p{M}\p{Cf}\s]$/u;

function isAttached(character: string): boolean {
  const code = character.charCodeAt(0);
  // Printable ASCII is never attached, so testing it first skips the regular expression for
  // most text.
  if (code > 0x20 && code < 0x7f) {
    return false;
  }
  return ATTACHED_CHARACTER.test(character);
}

/**
 * Splits text into runs that one font can draw, by glyph coverage.
 *
 * @example
 * splitRuns('Test 消防栓 OK', resolve);
 * // [{ text: 'Test ', script: 'latin' }, { text: '消防栓 ', script: 'cjk' },
 * //  { text: 'OK', script: 'latin' }]
 */
export function splitRuns(text: string, resolveScript: ScriptResolver): TextRun[] {
  const runs: { text: string; script: FontScript }[] = [];

  for (const character of text) {
    const last = runs.at(-1);
    if (last !== undefined && isAttached(character)) {
      last.text += character;
      continue;
    }

    const script = resolveScript(character.codePointAt(0) ?? 0);
    if (last?.script === script) {
      last.text += character;
    } else {
      runs.push({ text: character, script });
    }
  }
  return runs;
}
