import PDFDocument from 'pdfkit';

import { fontName, type FontFiles, type FontName, type FontScript } from './report.fonts.ts';
import { splitGraphemes } from './report.line-breaks.ts';
import { layoutLines, type TextLine, type TextMeasurer } from './report.line-layout.ts';
import { registerFonts } from './report.pdfkit.ts';
import {
  createScriptResolver,
  type GlyphCoverage,
  type ScriptResolver,
} from './report.text-runs.ts';
import type { TextStyle } from './report.theme.ts';

/** NotoSans hhea metrics per 1000 units: ascent 1069, descent -293, line gap 0. */
const NOTO_ASCENT = 1.069;
const NOTO_LINE_HEIGHT = 1.362;

/** A4 in points, with room above and below the content for the running header and footer. */
const PAGE_MARGINS = { top: 62, bottom: 58, left: 50, right: 50 } as const;

export type TextAlign = 'left' | 'right' | 'center';

/**
 * A pdfkit document with a vertical cursor, page geometry and text drawn in runs of NotoSans
 * and NotoSansHans. Text never goes through pdfkit's own line wrapper: each line is laid out
 * here, so lines mixing the two fonts share one baseline and one line height, and the height
 * of a block is known before it is drawn.
 */
export class ReportCanvas {
  /** Top of the next line on the current page, in points from the top edge. */
  y: number;
  private readonly resolveScript: ScriptResolver;
  private readonly measurers = new Map<string, TextMeasurer>();

  constructor(
    readonly doc: PDFKit.PDFDocument,
    fonts: FontFiles,
  ) {
    const coverage = registerFonts(doc, fonts);
    // The regular and bold files of each family map the same code points (3,094 for NotoSans,
    // 30,789 for NotoSansHans), so the regular face decides coverage for both.
    this.resolveScript = createScriptResolver(
      requireCoverage(coverage, fontName('latin', 'regular')),
      requireCoverage(coverage, fontName('cjk', 'regular')),
    );
    this.y = this.top;
  }

  static create(fonts: FontFiles, info: PDFKit.DocumentInfo): ReportCanvas {
    const doc = new PDFDocument({
      size: 'A4',
      margins: PAGE_MARGINS,
      bufferPages: true,
      info,
      displayTitle: true,
      lang: 'en',
    });
    return new ReportCanvas(doc, fonts);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  get right(): number {
    return this.doc.page.width - this.doc.page.margins.right;
  }

  get contentWidth(): number {
    return this.right - this.left;
  }

  get top(): number {
    return this.doc.page.margins.top;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  get contentHeight(): number {
    return this.bottom - this.top;
  }

  get spaceLeft(): number {
    return this.bottom - this.y;
  }

  get atPageTop(): boolean {
    return this.y <= this.top;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  /** Starts a new page unless the next `height` points fit on this one. */
  ensureSpace(height: number): void {
    if (height > this.spaceLeft && !this.atPageTop) {
      this.newPage();
    }
  }

  moveDown(points: number): void {
    this.y = Math.min(this.y + points, this.bottom);
  }

  lineHeight(style: TextStyle): number {
    return style.size * NOTO_LINE_HEIGHT;
  }

  layout(text: string, style: TextStyle, width: number): TextLine[] {
    return layoutLines(text, width, this.measurerFor(style));
  }

  /** Measures the height in points of text laid out at the given width. */
  heightOf(text: string, style: TextStyle, width: number): number {
    return this.layout(text, style, width).length * this.lineHeight(style);
  }

  /** Draws one laid-out line whose box starts at `top`, aligned inside `width`. */
  drawLine(line: TextLine, style: TextStyle, box: LineBox): void {
    const baseline = box.top + style.size * NOTO_ASCENT;
    let x = box.x + alignOffset(box.align ?? 'left', box.width ?? line.width, line.width);

    this.doc.fillColor(style.color).fontSize(style.size);
    for (const run of line.runs) {
      this.doc.font(fontName(run.script, style.weight));
      this.doc.text(run.text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
      x += run.width;
    }
  }

  /**
   * Draws text as a single line in the box, leaving the cursor alone. Line feeds become spaces,
   * and text wider than `box.width` is cut and ends with an ellipsis.
   */
  textAt(text: string, style: TextStyle, box: LineBox): void {
    const line = this.singleLine(text.replace(/\s+/gu, ' '), style, box.width);
    if (line !== undefined) {
      this.drawLine(line, style, box);
    }
  }

  /** Writes a paragraph at the cursor, starting new pages as needed, and moves the cursor. */
  paragraph(text: string, style: TextStyle, options: ParagraphOptions = {}): void {
    const x = options.x ?? this.left;
    const width = options.width ?? this.right - x;
    const height = this.lineHeight(style);

    for (const line of this.layout(text, style, width)) {
      this.ensureSpace(height);
      this.drawLine(line, style, { x, top: this.y, width, align: options.align });
      this.y += height;
    }
  }

  /** Draws a horizontal rule across the content width at the cursor. */
  rule(color: string, thickness = 0.5): void {
    this.doc
      .save()
      .moveTo(this.left, this.y)
      .lineTo(this.right, this.y)
      .lineWidth(thickness)
      .strokeColor(color)
      .stroke()
      .restore();
  }

  private singleLine(text: string, style: TextStyle, width = Infinity): TextLine | undefined {
    const [first, second] = this.layout(text, style, width);
    if (second === undefined) {
      return first;
    }

    const characters = splitGraphemes(text);
    let fitting = 0;
    let tooLong = characters.length;
    while (tooLong - fitting > 1) {
      const middle = Math.floor((fitting + tooLong) / 2);
      const candidate = `${characters.slice(0, middle).join('').trimEnd()}…`;
      if (this.layout(candidate, style, width).length === 1) {
        fitting = middle;
      } else {
        tooLong = middle;
      }
    }
    return this.layout(`${characters.slice(0, fitting).join('').trimEnd()}…`, style, width)[0];
  }

  /** Returns the measurer for the style's weight and size, which caches every width it measures. */
  private measurerFor(style: TextStyle): TextMeasurer {
    const key = `${style.weight}:${style.size}`;
    let measurer = this.measurers.get(key);
    if (measurer === undefined) {
      measurer = this.createMeasurer(style);
      this.measurers.set(key, measurer);
    }
    return measurer;
  }

  private createMeasurer(style: TextStyle): TextMeasurer {
    const widths: Record<FontScript, Map<string, number>> = { latin: new Map(), cjk: new Map() };
    return {
      resolveScript: this.resolveScript,
      measure: (text, script) => {
        let width = widths[script].get(text);
        if (width === undefined) {
          width = this.doc
            .font(fontName(script, style.weight))
            .fontSize(style.size)
            .widthOfString(text);
          widths[script].set(text, width);
        }
        return width;
      },
    };
  }
}

export interface LineBox {
  readonly x: number;
  readonly top: number;
  readonly width?: number;
  readonly align?: TextAlign | undefined;
}

export interface ParagraphOptions {
  readonly x?: number;
  readonly width?: number;
  readonly align?: TextAlign;
}

function requireCoverage(
  coverage: ReadonlyMap<string, GlyphCoverage>,
  name: FontName,
): GlyphCoverage {
  const font = coverage.get(name);
  if (font === undefined) {
    throw new Error(`Font ${name} is missing from the loaded font files`);
  }
  return font;
}

function alignOffset(align: TextAlign, boxWidth: number, lineWidth: number): number {
  if (align === 'right') {
    return boxWidth - lineWidth;
  }
  if (align === 'center') {
    return (boxWidth - lineWidth) / 2;
  }
  return 0;
}
