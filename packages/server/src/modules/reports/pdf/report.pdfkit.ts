import type { GlyphCoverage } from './report.text-runs.ts';

/*
 * Adapters to the parts of pdfkit 0.20 that @types/pdfkit does not describe: the fontkit
 * font behind the current font, and decoded images with their size.
 */

interface PdfkitFontInternals {
  readonly _font?: { readonly font?: Partial<GlyphCoverage> };
}

/**
 * fontkit fonts parsed by earlier documents, shared because pdfkit accepts a parsed fontkit
 * font wherever it accepts font bytes. Parsing them again for every report nearly doubled a
 * warm render of the 56-page test report (about 350 ms against 190 ms, measured on a 2-core
 * VM). Each document still builds its own subset, and drawing is synchronous, so two
 * documents never use a font at the same time.
 */
const parsedFonts = new Map<string, GlyphCoverage>();

/**
 * Registers fonts under their names, reusing the fonts parsed by earlier documents, and
 * returns the glyph coverage of each.
 */
export function registerFonts(
  doc: PDFKit.PDFDocument,
  files: ReadonlyMap<string, Buffer>,
): Map<string, GlyphCoverage> {
  const coverage = new Map<string, GlyphCoverage>();
  for (const [name, bytes] of files) {
    // registerFont() takes a parsed font in place of bytes, which the typings do not list.
    doc.registerFont(name, (parsedFonts.get(name) ?? bytes) as Buffer);
    const parsed = parsedFontOf(doc, name);
    parsedFonts.set(name, parsed);
    coverage.set(name, parsed);
  }
  return coverage;
}

function parsedFontOf(doc: PDFKit.PDFDocument, name: string): GlyphCoverage {
  doc.font(name);
  const fontkitFont = (doc as unknown as PdfkitFontInternals)._font?.font;
  if (typeof fontkitFont?.hasGlyphForCodePoint !== 'function') {
    throw new Error(`Font ${name} is not an embedded font with a character map`);
  }
  return fontkitFont as GlyphCoverage;
}

/** A JPEG or PNG parsed by pdfkit, ready to be placed any number of times. */
export interface PdfImage {
  /** Width in pixels once the EXIF orientation is applied. */
  readonly width: number;
  /** Height in pixels once the EXIF orientation is applied. */
  readonly height: number;
  readonly source: unknown;
}

interface PdfkitImageInternals {
  openImage(src: Buffer): { width: number; height: number; orientation?: number };
}

/**
 * Parses image bytes with pdfkit. pdfkit rotates JPEGs by their EXIF orientation when it
 * draws them, so orientations 5 to 8 swap the upright width and height.
 *
 * @throws Error when the bytes are not a JPEG or PNG that pdfkit can read.
 */
export function openImage(doc: PDFKit.PDFDocument, bytes: Buffer): PdfImage {
  let image: ReturnType<PdfkitImageInternals['openImage']>;
  try {
    image = (doc as unknown as PdfkitImageInternals).openImage(bytes);
  } catch (error) {
    // pdfkit throws plain strings for some malformed JPEGs.
    throw error instanceof Error ? error : new Error(String(error));
  }

  const rotated = (image.orientation ?? 1) > 4;
  return {
    width: rotated ? image.height : image.width,
    height: rotated ? image.width : image.height,
    source: image,
  };
}

/** Draws an opened image into the box at (x, y) of the given size in points. */
export function drawImage(
  doc: PDFKit.PDFDocument,
  image: PdfImage,
  box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
): void {
  // image() takes an opened image in place of bytes, which the typings do not list.
  doc.image(image.source as Buffer, box.x, box.y, { width: box.width, height: box.height });
}
