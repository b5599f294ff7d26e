import type { ReportCanvas } from './report.canvas.ts';
import type { TextLine } from './report.line-layout.ts';
import { COLORS, STYLES, type TextStyle } from './report.theme.ts';

/** A paragraph inside a column, with optional space above it in points. */
export interface TextBlock {
  readonly text: string;
  readonly style: TextStyle;
  readonly gapBefore?: number;
}

/** A vertical stack of paragraphs at a fixed x and width. */
export interface Column {
  readonly x: number;
  readonly width: number;
  readonly blocks: readonly TextBlock[];
}

interface PlacedLine {
  readonly line: TextLine;
  readonly style: TextStyle;
  readonly x: number;
  readonly width: number;
  /** Distance in points from the top of the row to the top of the line. */
  readonly offset: number;
  readonly height: number;
}

/** Rows up to this share of a page move whole to the next page rather than split. */
const KEEP_TOGETHER_SHARE = 0.4;
/**
 * Taller rows (a 2,000-character answer) start on the current page only when this share of
 * a page is left, so a question label is not split and the answer starts with a few lines.
 */
const MIN_START_SHARE = 0.25;

/** Options of a row drawn by drawColumns. */
export interface RowOptions {
  /** Text printed small above the rest of a row that continues on a new page. */
  readonly continuation?: string;
  /** True to draw a rule above the row, unless the row starts a page. */
  readonly separated?: boolean;
}

/** Space in points above and below the rule between two rows. */
const SEPARATOR_SPACE = 5;

/**
 * Draws columns side by side from the cursor, as one row, and leaves the cursor under the
 * tallest column. A row that does not fit flows onto new pages, with every column
 * continuing at the top of the new page.
 */
export function drawColumns(
  canvas: ReportCanvas,
  columns: readonly Column[],
  options: RowOptions = {},
): void {
  const lines = columns.flatMap((column) => placeColumn(canvas, column));
  lines.sort((a, b) => a.offset - b.offset);
  const height = Math.max(0, ...lines.map((line) => line.offset + line.height));

  const separatorHeight = options.separated === true ? SEPARATOR_SPACE * 2 : 0;
  canvas.ensureSpace(separatorHeight + startHeight(canvas, height));
  if (separatorHeight > 0 && !canvas.atPageTop) {
    drawSeparator(canvas);
  }

  let origin = canvas.y;
  let started = false;
  for (const placed of lines) {
    if (origin + placed.offset + placed.height > canvas.bottom) {
      canvas.newPage();
      const top = started ? drawContinuation(canvas, options.continuation) : canvas.top;
      origin = top - placed.offset;
    }
    canvas.drawLine(placed.line, placed.style, {
      x: placed.x,
      top: origin + placed.offset,
      width: placed.width,
    });
    started = true;
  }
  canvas.y = origin + height;
}

function drawSeparator(canvas: ReportCanvas): void {
  canvas.moveDown(SEPARATOR_SPACE);
  canvas.rule(COLORS.rule);
  canvas.moveDown(SEPARATOR_SPACE);
}

/** Computes the space in points a row needs on the current page before it starts. */
export function startHeight(canvas: ReportCanvas, rowHeight: number): number {
  const keepTogether = rowHeight <= canvas.contentHeight * KEEP_TOGETHER_SHARE;
  return keepTogether ? rowHeight : canvas.contentHeight * MIN_START_SHARE;
}

/** Draws the reminder of what a row continues, and returns the top for the row's next line. */
function drawContinuation(canvas: ReportCanvas, continuation: string | undefined): number {
  if (continuation === undefined) {
    return canvas.top;
  }
  const style = STYLES.small;
  canvas.textAt(`(continued) ${continuation}`, style, {
    x: canvas.left,
    top: canvas.top,
    width: canvas.contentWidth,
  });
  return canvas.top + canvas.lineHeight(style) + 6;
}

/** Measures the height in points of a row, for keeping a heading with the row after it. */
export function measureColumns(canvas: ReportCanvas, columns: readonly Column[]): number {
  const lines = columns.flatMap((column) => placeColumn(canvas, column));
  return Math.max(0, ...lines.map((line) => line.offset + line.height));
}

function placeColumn(canvas: ReportCanvas, column: Column): PlacedLine[] {
  const placed: PlacedLine[] = [];
  let offset = 0;

  for (const block of column.blocks) {
    offset += block.gapBefore ?? 0;
    const height = canvas.lineHeight(block.style);
    for (const line of canvas.layout(block.text, block.style, column.width)) {
      placed.push({ line, style: block.style, x: column.x, width: column.width, offset, height });
      offset += height;
    }
  }
  return placed;
}
