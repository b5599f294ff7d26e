import type { ReportCanvas } from './report.canvas.ts';
import { COLORS, type TextStyle } from './report.theme.ts';

const PADDING_X = 8;
const PADDING_Y = 4;

/**
 * Draws a single-line label on a filled rounded rectangle with its top-left corner at
 * (x, top), and returns the badge width in points. The cursor does not move.
 */
export function drawBadge(
  canvas: ReportCanvas,
  text: string,
  color: string,
  position: { readonly x: number; readonly top: number; readonly style: TextStyle },
): number {
  const style = { ...position.style, color: COLORS.white };
  const [line] = canvas.layout(text, style, Number.POSITIVE_INFINITY);
  const width = (line?.width ?? 0) + PADDING_X * 2;
  const height = canvas.lineHeight(style) + PADDING_Y * 2;

  canvas.doc
    .save()
    .roundedRect(position.x, position.top, width, height, height / 4)
    .fill(color);
  canvas.doc.restore();
  if (line !== undefined) {
    canvas.drawLine(line, style, { x: position.x + PADDING_X, top: position.top + PADDING_Y });
  }
  return width;
}

/** Measures the height in points of a badge in the given style. */
export function badgeHeight(canvas: ReportCanvas, style: TextStyle): number {
  return canvas.lineHeight(style) + PADDING_Y * 2;
}
