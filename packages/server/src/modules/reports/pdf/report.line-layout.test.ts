import { describe, expect, it } from 'vitest';

import { layoutLines, type TextLine, type TextMeasurer } from './report.line-layout.ts';
import { createScriptResolver } from './report.text-runs.ts';

/** One point per Latin character and two per CJK character, so widths are easy to count. */
const measurer: TextMeasurer = {
  resolveScript: createScriptResolver(
    { hasGlyphForCodePoint: (codePoint) => codePoint < 0x2e80 },
    { hasGlyphForCodePoint: () => true },
  ),
  measure: (text, script) => [...text].length * (script === 'cjk' ? 2 : 1),
};

function texts(lines: readonly TextLine[]): string[] {
  return lines.map((line) => line.runs.map((run) => run.text).join(''));
}

describe('layoutLines', () => {
  it.each([
    ['wraps at spaces', 'fire exit blocked', 10, ['fire exit', 'blocked']],
    ['keeps a line that fits exactly', 'abcde', 5, ['abcde']],
    ['ignores trailing spaces when fitting', 'abcde   fgh', 5, ['abcde', 'fgh']],
    ['wraps Chinese between characters', '消防栓检查合格', 6, ['消防栓', '检查合', '格']],
    ['keeps a comma with the character before it', '合格，压力', 5, ['合', '格，', '压力']],
    ['cuts a word wider than the line', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['starts a long word on a new line', 'ab abcdefgh', 4, ['ab', 'abcd', 'efgh']],
    ['starts a new line at each line feed', 'a\nb', 10, ['a', 'b']],
    ['keeps blank lines', 'a\n\nb', 10, ['a', '', 'b']],
    ['returns one empty line for empty text', '', 10, ['']],
    ['places a character wider than the line alone', '消a', 1, ['消', 'a']],
    ['drops leading spaces that would overflow', '   abcde', 5, ['abcde']],
    ['keeps leading spaces that fit', '  ab', 5, ['  ab']],
  ])('%s', (_case, text, width, expected) => {
    expect(texts(layoutLines(text, width, measurer))).toEqual(expected);
  });

  it('splits a mixed line into runs by font', () => {
    const [line] = layoutLines('Test 消防 OK', 100, measurer);
    expect(line?.runs.map((run) => [run.text, run.script])).toEqual([
      ['Test ', 'latin'],
      ['消防', 'cjk'],
      [' OK', 'latin'],
    ]);
  });

  it('measures each line without its trailing space', () => {
    const widths = layoutLines('ab cd 消防', 6, measurer).map((line) => line.width);
    expect(widths).toEqual([5, 4]);
  });

  it('loses no character of a long mixed text', () => {
    const text = `${"Contrôle réalisé à l'entrée nord, 消防栓检查合格，压力正常. ".repeat(40)}End`;
    const printed = texts(layoutLines(text, 37, measurer)).join('');
    expect(printed.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('keeps every line within the width', () => {
    const text = 'Brandschutzklappenfunktionsprüfung 消防栓检查合格 '.repeat(20);
    const tooWide = layoutLines(text, 23, measurer).filter((line) => line.width > 23);
    expect(tooWide).toEqual([]);
  });
});
