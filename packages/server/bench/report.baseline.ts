import PDFDocument from 'pdfkit';
import { registerFonts } from '../src/modules/reports/pdf/report.pdfkit.ts';
import type { RenderedReport, ReportDocument } from '../src/modules/reports/pdf/report.types.ts';

const FONT = 'latin-regular';
const MARGIN = 50;
const LINE_HEIGHT = 14;
const FONT_SIZE = 10;
/** A4 in points. */
const PAGE = { width: 595.28, height: 841.89 } as const;
/** Lines that fit between the top and bottom margins at LINE_HEIGHT. */
const LINES_PER_PAGE = Math.floor((PAGE.height - 2 * MARGIN) / LINE_HEIGHT);

/**
 * Writes `pageCount` A4 pages with pdfkit and nothing else: one line of plain text per question
 * at fixed positions, then the report's photos scaled into the remaining pages. Text is set in
 * NotoSans Regular, parsed once per process as the report renderer does, so the comparison
 * leaves out the second font family, the line breaking, measuring, columns and page furniture.
 * Lines beyond the text pages' capacity are left out.
 */
export async function renderPlainPdf(
  report: ReportDocument,
  pageCount: number,
  latinFont: Buffer,
): Promise<RenderedReport> {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false });
  registerFonts(doc, new Map([[FONT, latinFont]]));
  doc.font(FONT).fontSize(FONT_SIZE);

  const photoPages = Math.min(report.photos.length, Math.max(pageCount - 1, 1));
  const textPages = Math.max(pageCount - photoPages, 1);
  writeTextPages(doc, textLines(report), textPages);
  writePhotoPages(doc, report, photoPages);

  return { pdf: await collect(doc), pageCount: textPages + photoPages };
}

function textLines(report: ReportDocument): string[] {
  const cover = [
    report.title,
    report.facility.name,
    report.facility.address,
    report.inspector.name,
  ];
  const flags = report.flags.map(
    (flag) => `${flag.severity}: ${flag.questionLabel}: ${flag.message}`,
  );
  const answers = report.sections.flatMap((section) => [
    section.title,
    ...section.questions.map(
      (question) => `${question.label}: ${question.answer ?? 'Not answered'}`,
    ),
  ]);
  return [...cover, ...flags, ...answers];
}

function writeTextPages(doc: PDFKit.PDFDocument, lines: readonly string[], pages: number): void {
  const perPage = Math.min(LINES_PER_PAGE, Math.ceil(lines.length / pages));
  for (let page = 0; page < pages; page += 1) {
    doc.addPage();
    lines.slice(page * perPage, (page + 1) * perPage).forEach((line, index) => {
      doc.text(line, MARGIN, MARGIN + index * LINE_HEIGHT, { lineBreak: false });
    });
  }
}

function writePhotoPages(doc: PDFKit.PDFDocument, report: ReportDocument, pages: number): void {
  const perPage = Math.ceil(report.photos.length / Math.max(pages, 1));
  const width = PAGE.width - 2 * MARGIN;
  const slotHeight = (PAGE.height - 2 * MARGIN) / Math.max(perPage, 1);
  for (let page = 0; page < pages; page += 1) {
    doc.addPage();
    report.photos.slice(page * perPage, (page + 1) * perPage).forEach((photo, index) => {
      doc.image(photo.jpeg, MARGIN, MARGIN + index * slotHeight, { fit: [width, slotHeight - 10] });
    });
  }
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
