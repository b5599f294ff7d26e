import type { ReportCanvas } from './report.canvas.ts';
import { drawColumns, measureColumns, type Column, type TextBlock } from './report.columns.ts';
import { severityLabel } from './report.format.ts';
import { drawHeading, drawPartTitle } from './report.headings.ts';
import { SEVERITY_COLORS, STYLES, withColor } from './report.theme.ts';
import type { HiddenQuestionMode, ReportQuestion, ReportSection } from './report.types.ts';

const LABEL_COLUMN_SHARE = 0.4;
const COLUMN_GAP = 16;

export const NOT_ANSWERED = 'Not answered';
export const NOT_APPLICABLE = 'Not applicable (condition not met)';

/** Draws every section with its questions, the label on the left and the answer on the right. */
export function drawSections(
  canvas: ReportCanvas,
  sections: readonly ReportSection[],
  hiddenQuestions: HiddenQuestionMode,
): void {
  drawPartTitle(canvas, 'Answers');
  if (sections.length === 0) {
    canvas.paragraph('This template has no sections.', STYLES.muted);
    return;
  }

  sections.forEach((section, index) => {
    drawSection(canvas, section, `${index + 1}. ${section.title}`, hiddenQuestions);
  });
}

function drawSection(
  canvas: ReportCanvas,
  section: ReportSection,
  heading: string,
  hiddenQuestions: HiddenQuestionMode,
): void {
  const questions = section.questions.filter(
    (question) => hiddenQuestions === 'mark' || !question.hidden,
  );
  const rows = questions.map((question) => questionColumns(canvas, question));
  const firstRow = rows[0];

  drawHeading(canvas, heading, firstRow === undefined ? 0 : measureColumns(canvas, firstRow));
  if (firstRow === undefined) {
    const empty =
      section.questions.length === 0
        ? 'No questions in this section.'
        : 'No applicable questions in this section.';
    canvas.paragraph(empty, STYLES.muted);
    return;
  }

  rows.forEach((row, index) => {
    drawColumns(canvas, row, { continuation: questions[index]?.label, separated: index > 0 });
  });
}

function questionColumns(canvas: ReportCanvas, question: ReportQuestion): Column[] {
  const labelWidth = canvas.contentWidth * LABEL_COLUMN_SHARE;
  const answerX = canvas.left + labelWidth + COLUMN_GAP;
  return [
    { x: canvas.left, width: labelWidth, blocks: [{ text: question.label, style: STYLES.label }] },
    { x: answerX, width: canvas.right - answerX, blocks: answerBlocks(question) },
  ];
}

/** Returns true when a question has an answer to print. Blank answers count as not answered. */
export function isAnswered(question: ReportQuestion): boolean {
  return question.answer !== null && question.answer.trim() !== '';
}

function answerBlocks(question: ReportQuestion): TextBlock[] {
  if (question.hidden) {
    return [{ text: NOT_APPLICABLE, style: STYLES.muted }];
  }

  const blocks: TextBlock[] = [
    isAnswered(question)
      ? { text: question.answer ?? '', style: STYLES.body }
      : { text: NOT_ANSWERED, style: STYLES.muted },
  ];
  if (question.severity !== null) {
    const style = withColor(STYLES.label, SEVERITY_COLORS[question.severity]);
    blocks.push({ text: `Severity: ${severityLabel(question.severity)}`, style, gapBefore: 2 });
  }
  if (question.note !== null && question.note.trim() !== '') {
    blocks.push({ text: `Note: ${question.note}`, style: STYLES.note, gapBefore: 3 });
  }
  return blocks;
}
