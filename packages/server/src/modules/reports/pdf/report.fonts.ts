import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Font families embedded in reports: NotoSans first, NotoSansHans for what NotoSans lacks. */
export type FontScript = 'latin' | 'cjk';
export type FontWeight = 'regular' | 'bold';

/** Registered font name inside a PDF document, one per family and weight. */
export type FontName = `${FontScript}-${FontWeight}`;

interface FontPackage {
  readonly packageName: string;
  readonly files: Readonly<Record<FontWeight, string>>;
}

const FONT_PACKAGES: Readonly<Record<FontScript, FontPackage>> = {
  latin: {
    packageName: '@embedpdf/fonts-latin',
    files: { regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf' },
  },
  cjk: {
    packageName: '@embedpdf/fonts-sc',
    files: { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' },
  },
};

export const FONT_NAMES: readonly FontName[] = [
  'latin-regular',
  'latin-bold',
  'cjk-regular',
  'cjk-bold',
];

export function fontName(script: FontScript, weight: FontWeight): FontName {
  return `${script}-${weight}`;
}

const require = createRequire(import.meta.url);

/**
 * Finds the folder of an installed font package. The packages export only their JavaScript
 * entry (not package.json), so the entry is resolved and its folders are walked up to the
 * package.json that carries the package name.
 */
function locatePackageRoot(packageName: string): string {
  let folder = dirname(require.resolve(packageName));
  while (dirname(folder) !== folder) {
    if (isPackageRoot(folder, packageName)) {
      return folder;
    }
    folder = dirname(folder);
  }
  throw new Error(
    `Font package ${packageName} has no package.json above its entry point. Reinstall the package.`,
  );
}

function isPackageRoot(folder: string, packageName: string): boolean {
  const manifestPath = join(folder, 'package.json');
  if (!existsSync(manifestPath)) {
    return false;
  }
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return (manifest as { name?: unknown }).name === packageName;
}

/** Resolves the absolute path of one font file shipped by its npm package. */
export function locateFontFile(script: FontScript, weight: FontWeight): string {
  const fontPackage = FONT_PACKAGES[script];
  return join(locatePackageRoot(fontPackage.packageName), 'fonts', fontPackage.files[weight]);
}

export type FontFiles = ReadonlyMap<FontName, Buffer>;

let fontFiles: Promise<FontFiles> | null = null;

/**
 * Reads the four font files once per process. The two NotoSansHans files weigh about 8 MB
 * each, so every report shares the same buffers and pdfkit embeds only the glyphs it uses.
 */
export function loadFontFiles(): Promise<FontFiles> {
  fontFiles ??= readFontFiles().catch((error: unknown) => {
    fontFiles = null;
    throw error;
  });
  return fontFiles;
}

async function readFontFiles(): Promise<FontFiles> {
  const entries = FONT_NAMES.map(async (name): Promise<[FontName, Buffer]> => {
    const [script, weight] = name.split('-') as [FontScript, FontWeight];
    return [name, await readFile(locateFontFile(script, weight))];
  });
  return new Map(await Promise.all(entries));
}
