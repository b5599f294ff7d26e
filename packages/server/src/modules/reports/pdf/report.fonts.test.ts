import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { FONT_NAMES, loadFontFiles, locateFontFile } from './report.fonts.ts';

describe('locateFontFile', () => {
  it.each([
    ['latin', 'regular', 'NotoSans-Regular.ttf'],
    ['latin', 'bold', 'NotoSans-Bold.ttf'],
    ['cjk', 'regular', 'NotoSansHans-Regular.otf'],
    ['cjk', 'bold', 'NotoSansHans-Bold.otf'],
  ] as const)('finds the %s %s font in its package', (script, weight, fileName) => {
    const path = locateFontFile(script, weight);
    expect(path.endsWith(fileName)).toBe(true);
    expect(existsSync(path)).toBe(true);
  });
});

describe('loadFontFiles', () => {
  it('loads every font', async () => {
    const files = await loadFontFiles();
    expect([...files.keys()]).toEqual(FONT_NAMES);
  });

  it('reads the files once per process', async () => {
    const first = await loadFontFiles();
    expect(await loadFontFiles()).toBe(first);
  });
});
