import { badgeHeight, drawBadge } from './report.badge.ts';
import type { ReportCanvas } from './report.canvas.ts';
import { drawColumns } from './report.columns.ts';
import {
  countOf,
  formatScore,
  formatTimestamp,
  riskLabel,
  severityLabel,
} from './report.format.ts';
import { COLORS, SEVERITY_COLORS, SEVERITY_ORDER, STYLES, withColor } from './report.theme.ts';
import type { PhotoSet } from './report.photos.ts';
import { isAnswered } from './report.sections.ts';
import type { ReportDocument } from './report.types.ts';

const DETAIL_LABEL_WIDTH = 120;

/** Draws the first page: who, what, where and when, the score, the risk and the counts. */
export function drawCover(canvas: ReportCanvas, report: ReportDocument, photos: PhotoSet): void {
  drawTitle(canvas, report);
  drawFacility(canvas, report);
  drawDetails(canvas, report);
  drawScore(canvas, report);
  drawFlagCounts(canvas, report);
  drawContentCounts(canvas, report, photos);
}

function drawTitle(canvas: ReportCanvas, report: ReportDocument): void {
  canvas.moveDown(20);
  canvas.paragraph(report.organisationName, withColor(STYLES.heading, COLORS.accent));
  canvas.moveDown(10);
  canvas.paragraph(report.title, STYLES.coverTitle);
  canvas.moveDown(2);
  canvas.paragraph(
    `Inspection report · template version ${report.templateVersion}`,
    STYLES.coverSubtitle,
  );
  canvas.moveDown(16);
  canvas.rule(COLORS.accent, 1.5);
  canvas.moveDown(18);
}

function drawFacility(canvas: ReportCanvas, report: ReportDocument): void {
  canvas.paragraph('Facility', STYLES.muted);
  canvas.moveDown(2);
  canvas.paragraph(report.facility.name, { ...STYLES.heading, size: 15 });
  canvas.paragraph(report.facility.kind, STYLES.body);
  canvas.paragraph(report.facility.address, STYLES.body);
  canvas.moveDown(18);
}

function drawDetails(canvas: ReportCanvas, report: ReportDocument): void {
  const rows: readonly [string, string][] = [
    ['Inspector', `${report.inspector.name} <${report.inspector.email}>`],
    ['Survey', report.surveyId],
    ['Assigned', formatTimestamp(report.assignedAt)],
    ['Due', formatTimestamp(report.dueDate, 'No due date')],
    ['Submitted', formatTimestamp(report.submittedAt, 'Not submitted')],
    ['Report generated', formatTimestamp(report.generatedAt)],
  ];

  for (const [label, value] of rows) {
    drawColumns(canvas, [
      { x: canvas.left, width: DETAIL_LABEL_WIDTH, blocks: [{ text: label, style: STYLES.muted }] },
      {
        x: canvas.left + DETAIL_LABEL_WIDTH,
        width: canvas.contentWidth - DETAIL_LABEL_WIDTH,
        blocks: [{ text: value, style: STYLES.body }],
      },
    ]);
    canvas.moveDown(3);
  }
  canvas.moveDown(18);
}

function drawScore(canvas: ReportCanvas, report: ReportDocument): void {
  const scoreStyle = { ...STYLES.coverTitle, size: 26 };
  const badgeStyle = { ...STYLES.heading, size: 15 };
  const panelHeight = 84;
  canvas.ensureSpace(panelHeight);

  const top = canvas.y;
  canvas.doc.save().rect(canvas.left, top, canvas.contentWidth, panelHeight).fill(COLORS.panel);
  canvas.doc.restore();

  const inner = canvas.left + 16;
  canvas.textAt('Score', STYLES.muted, { x: inner, top: top + 12 });
  canvas.textAt(formatScore(report.score), scoreStyle, { x: inner, top: top + 30 });

  const riskX = canvas.left + canvas.contentWidth / 2;
  const riskColor =
    report.riskLevel === null ? COLORS.unassessed : SEVERITY_COLORS[report.riskLevel];
  canvas.textAt('Risk level', STYLES.muted, { x: riskX, top: top + 12 });
  const badgeTop = top + 30 + (canvas.lineHeight(scoreStyle) - badgeHeight(canvas, badgeStyle)) / 2;
  drawBadge(canvas, riskLabel(report.riskLevel), riskColor, {
    x: riskX,
    top: badgeTop,
    style: badgeStyle,
  });

  canvas.y = top + panelHeight;
  canvas.moveDown(22);
}

function drawFlagCounts(canvas: ReportCanvas, report: ReportDocument): void {
  const gap = 10;
  const boxWidth =
    (canvas.contentWidth - gap * (SEVERITY_ORDER.length - 1)) / SEVERITY_ORDER.length;
  const boxHeight = 58;
  const countStyle = { ...STYLES.coverTitle, size: 20 };
  canvas.ensureSpace(boxHeight + 40);

  canvas.paragraph(`Flagged items: ${report.flags.length}`, STYLES.heading);
  canvas.moveDown(8);
  const top = canvas.y;
  SEVERITY_ORDER.forEach((severity, index) => {
    const x = canvas.left + index * (boxWidth + gap);
    const count = report.flags.filter((flag) => flag.severity === severity).length;
    const color = SEVERITY_COLORS[severity];

    canvas.doc.save().rect(x, top, boxWidth, boxHeight).fill(COLORS.panel);
    canvas.doc.rect(x, top, boxWidth, 3).fill(color).restore();
    canvas.textAt(String(count), withColor(countStyle, count > 0 ? color : COLORS.muted), {
      x: x + 10,
      top: top + 10,
    });
    canvas.textAt(severityLabel(severity), STYLES.muted, { x: x + 10, top: top + 38 });
  });
  canvas.y = top + boxHeight;
  canvas.moveDown(22);
}

function drawContentCounts(canvas: ReportCanvas, report: ReportDocument, photos: PhotoSet): void {
  const questions = report.sections.flatMap((section) => section.questions);
  const applicable = questions.filter((question) => !question.hidden);
  const answered = applicable.filter(isAnswered).length;
  const sections = countOf(report.sections.length, 'section');
  const printed = countOf(photos.printable.length, 'photo');
  const failed = photos.failed.length;

  canvas.paragraph('Contents', STYLES.heading);
  canvas.moveDown(6);
  canvas.paragraph(
    `${sections}, ${answered} of ${countOf(applicable.length, 'applicable question')} answered`,
    STYLES.body,
  );
  canvas.paragraph(
    failed === 0 ? printed : `${printed}, ${failed} could not be printed`,
    STYLES.body,
  );
}
