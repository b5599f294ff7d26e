import type { ReportCanvas } from './report.canvas.ts';
import { COLORS, STYLES } from './report.theme.ts';
import type { ReportDocument } from './report.types.ts';

/** Distance in points from the bottom edge to the top of the footer line. */
const FOOTER_FROM_BOTTOM = 36;
/** Distance in points from the top edge to the top of the header line. */
const HEADER_FROM_TOP = 28;

/**
 * Writes "Page N of M" and the report name at the foot of every page, and a running header
 * on every page after the cover. It runs once all pages exist, because M is only known then,
 * and relies on the document buffering its pages.
 */
export function drawPageFurniture(canvas: ReportCanvas, report: ReportDocument): void {
  const { start, count } = canvas.doc.bufferedPageRange();
  for (let index = 0; index < count; index += 1) {
    canvas.doc.switchToPage(start + index);
    drawFooter(canvas, report, index + 1, count);
    if (index > 0) {
      drawHeader(canvas, report);
    }
  }
}

function drawFooter(
  canvas: ReportCanvas,
  report: ReportDocument,
  page: number,
  pageCount: number,
): void {
  const style = STYLES.pageFurniture;
  const top = canvas.doc.page.height - FOOTER_FROM_BOTTOM;
  const pageLabelWidth = 90;

  canvas.textAt(`${report.title} · ${report.facility.name}`, style, {
    x: canvas.left,
    top,
    width: canvas.contentWidth - pageLabelWidth,
  });
  canvas.textAt(`Page ${page} of ${pageCount}`, style, {
    x: canvas.right - pageLabelWidth,
    top,
    width: pageLabelWidth,
    align: 'right',
  });
}

function drawHeader(canvas: ReportCanvas, report: ReportDocument): void {
  const style = STYLES.pageFurniture;
  const half = canvas.contentWidth / 2;

  canvas.textAt(report.organisationName, style, {
    x: canvas.left,
    top: HEADER_FROM_TOP,
    width: half - 8,
  });
  canvas.textAt(`Survey ${report.surveyId}`, style, {
    x: canvas.left + half,
    top: HEADER_FROM_TOP,
    width: half,
    align: 'right',
  });

  const ruleY = HEADER_FROM_TOP + canvas.lineHeight(style) + 4;
  canvas.doc
    .save()
    .moveTo(canvas.left, ruleY)
    .lineTo(canvas.right, ruleY)
    .lineWidth(0.5)
    .strokeColor(COLORS.rule)
    .stroke();
  canvas.doc.restore();
}
