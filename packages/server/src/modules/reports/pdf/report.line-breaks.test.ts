import { describe, expect, it } from 'vitest';

import { splitBreakUnits, splitGraphemes, splitParagraphs } from './report.line-breaks.ts';

describe('splitBreakUnits', () => {
  it.each([
    ['keeps trailing spaces with their word', 'fire  exit ok', ['fire  ', 'exit ', 'ok']],
    ['breaks after a hyphen inside a word', 'well-known', ['well-', 'known']],
    ['keeps a leading minus sign', '-5 bar', ['-5 ', 'bar']],
    ['breaks between Chinese characters', '消防栓', ['消', '防', '栓']],
    ['keeps closing punctuation with its character', '合格，压力。', ['合', '格，', '压', '力。']],
    ['keeps opening punctuation with the next character', '（压力）', ['（压', '力）']],
    ['breaks between Latin and Chinese', 'OK消防', ['OK', '消', '防']],
    ['keeps combining marks with their letter', 'cafe\u0301 noir', ['cafe\u0301 ', 'noir']],
    ['keeps a Latin word whole', 'Contrôle', ['Contrôle']],
    ['returns nothing for an empty paragraph', '', []],
  ])('%s', (_case, paragraph, units) => {
    expect(splitBreakUnits(paragraph)).toEqual(units);
  });

  it('loses no character', () => {
    const paragraph = "Contrôle réalisé à l'entrée nord 消防栓检查合格，压力正常 — well-known";
    expect(splitBreakUnits(paragraph).join('')).toBe(paragraph);
  });
});

describe('splitParagraphs', () => {
  it.each([
    ['LF', 'a\nb', ['a', 'b']],
    ['CRLF', 'a\r\nb', ['a', 'b']],
    ['CR', 'a\rb', ['a', 'b']],
    ['blank lines', 'a\n\nb', ['a', '', 'b']],
  ])('splits %s line endings', (_case, text, paragraphs) => {
    expect(splitParagraphs(text)).toEqual(paragraphs);
  });
});

describe('splitGraphemes', () => {
  it('keeps an accent with its base letter', () => {
    expect(splitGraphemes('e\u0301a')).toEqual(['e\u0301', 'a']);
  });

  it('keeps a surrogate pair whole', () => {
    expect(splitGraphemes('𠀀x')).toEqual(['𠀀', 'x']);
  });
});
