import { badgeHeight, drawBadge } from './report.badge.ts';
import type { ReportCanvas } from './report.canvas.ts';
import { drawColumns, measureColumns, startHeight, type Column } from './report.columns.ts';
import { countOf, severityLabel } from './report.format.ts';
import { drawPartTitle } from './report.headings.ts';
import { SEVERITY_COLORS, SEVERITY_ORDER, STYLES, withColor } from './report.theme.ts';
import type { ReportFlag, Severity } from './report.types.ts';

const SECTION_COLUMN_SHARE = 0.3;
const COLUMN_GAP = 14;

/**
 * Draws the flagged answers grouped by severity, critical first, in the given order within
 * a group.
 */
export function drawFlags(canvas: ReportCanvas, flags: readonly ReportFlag[]): void {
  drawPartTitle(canvas, 'Flagged items');
  if (flags.length === 0) {
    canvas.paragraph('No answers were flagged.', STYLES.muted);
    return;
  }

  for (const severity of SEVERITY_ORDER) {
    const group = flags.filter((flag) => flag.severity === severity);
    if (group.length > 0) {
      drawSeverityGroup(canvas, severity, group);
    }
  }
}

function drawSeverityGroup(
  canvas: ReportCanvas,
  severity: Severity,
  group: readonly ReportFlag[],
): void {
  const badgeStyle = STYLES.label;
  const firstRow =
    group[0] === undefined ? 0 : measureColumns(canvas, flagColumns(canvas, group[0]));
  const headerHeight = badgeHeight(canvas, badgeStyle) + 10;
  const spaceAbove = canvas.atPageTop ? 0 : 16;
  canvas.ensureSpace(spaceAbove + headerHeight + startHeight(canvas, firstRow));
  canvas.moveDown(canvas.atPageTop ? 0 : spaceAbove);

  const badgeWidth = drawBadge(canvas, severityLabel(severity), SEVERITY_COLORS[severity], {
    x: canvas.left,
    top: canvas.y,
    style: badgeStyle,
  });
  canvas.textAt(countOf(group.length, 'item'), STYLES.muted, {
    x: canvas.left + badgeWidth + 8,
    top: canvas.y + (badgeHeight(canvas, badgeStyle) - canvas.lineHeight(STYLES.muted)) / 2,
  });
  canvas.y += headerHeight;

  group.forEach((flag, index) => {
    drawColumns(canvas, flagColumns(canvas, flag), {
      continuation: flag.questionLabel,
      separated: index > 0,
    });
  });
}

function flagColumns(canvas: ReportCanvas, flag: ReportFlag): Column[] {
  const sectionWidth = canvas.contentWidth * SECTION_COLUMN_SHARE;
  const detailX = canvas.left + sectionWidth + COLUMN_GAP;
  return [
    {
      x: canvas.left,
      width: sectionWidth,
      blocks: [{ text: flag.sectionTitle, style: STYLES.muted }],
    },
    {
      x: detailX,
      width: canvas.right - detailX,
      blocks: [
        { text: flag.questionLabel, style: STYLES.label },
        { text: `Answer: ${flag.answer}`, style: STYLES.body, gapBefore: 2 },
        {
          text: flag.message,
          style: withColor(STYLES.body, SEVERITY_COLORS[flag.severity]),
          gapBefore: 2,
        },
      ],
    },
  ];
}
