import type { ReportCanvas } from './report.canvas.ts';
import { startHeight } from './report.columns.ts';
import { COLORS, STYLES, type TextStyle } from './report.theme.ts';

/** Starts a part of the report (flags, answers, photos) on a new page under a large title. */
export function drawPartTitle(canvas: ReportCanvas, title: string): void {
  canvas.newPage();
  canvas.paragraph(title, STYLES.partTitle);
  canvas.moveDown(4);
  canvas.rule(COLORS.accent, 1);
  canvas.moveDown(14);
}

/**
 * Writes a heading, first moving to a new page unless the heading fits with the start of the
 * row under it, whose height is `nextRowHeight`. So a heading never ends a page alone.
 */
export function drawHeading(
  canvas: ReportCanvas,
  text: string,
  nextRowHeight: number,
  style: TextStyle = STYLES.heading,
): void {
  const spaceAbove = canvas.atPageTop ? 0 : 14;
  const height = canvas.heightOf(text, style, canvas.contentWidth);
  canvas.ensureSpace(spaceAbove + height + 6 + startHeight(canvas, nextRowHeight));

  canvas.moveDown(canvas.atPageTop ? 0 : spaceAbove);
  canvas.paragraph(text, style);
  canvas.moveDown(6);
}
