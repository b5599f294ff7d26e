import { describe, expect, it } from 'vitest';

import { createScriptResolver, splitRuns, type GlyphCoverage } from './report.text-runs.ts';

/** Coverage of a font that maps every character below U+2E80, like NotoSans without CJK. */
const latin: GlyphCoverage = { hasGlyphForCodePoint: (codePoint) => codePoint < 0x2e80 };
/** Coverage of a CJK font that maps CJK and ASCII, like NotoSansHans. */
const cjk: GlyphCoverage = {
  hasGlyphForCodePoint: (codePoint) =>
    codePoint < 0x80 || (codePoint >= 0x2e80 && codePoint < 0x10000),
};

describe('splitRuns', () => {
  const resolve = createScriptResolver(latin, cjk);

  it.each([
    ['Latin only', 'Contrôle réalisé', [['Contrôle réalisé', 'latin']]],
    ['CJK only', '消防栓', [['消防栓', 'cjk']]],
    [
      'mixed text',
      'Test 消防栓 OK',
      [
        ['Test ', 'latin'],
        ['消防栓 ', 'cjk'],
        ['OK', 'latin'],
      ],
    ],
    [
      'CJK punctuation',
      '合格，OK',
      [
        ['合格，', 'cjk'],
        ['OK', 'latin'],
      ],
    ],
    ['a combining accent after its letter', 'cafe\u0301', [['cafe\u0301', 'latin']]],
    ['a character no font has', '\u{1F600}', [['\u{1F600}', 'latin']]],
    ['empty text', '', []],
  ])('splits %s', (_case, text, expected) => {
    const runs = splitRuns(text, resolve).map((run) => [run.text, run.script]);
    expect(runs).toEqual(expected);
  });
});

describe('createScriptResolver', () => {
  it('queries the CJK font only as fallback', () => {
    const queried: number[] = [];
    const counting: GlyphCoverage = {
      hasGlyphForCodePoint: (codePoint) => {
        queried.push(codePoint);
        return cjk.hasGlyphForCodePoint(codePoint);
      },
    };
    const resolve = createScriptResolver(latin, counting);

    resolve(0x41);
    resolve(0x6d88);
    resolve(0x6d88);
    expect(queried).toEqual([0x6d88]);
  });
});
