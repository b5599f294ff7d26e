import { ReportCanvas } from './report.canvas.ts';
import { drawCover } from './report.cover.ts';
import { drawFlags } from './report.flags.ts';
import { loadFontFiles } from './report.fonts.ts';
import { drawPageFurniture } from './report.page-furniture.ts';
import { drawPhotos, openPhotos } from './report.photos.ts';
import { drawSections } from './report.sections.ts';
import type { RenderedReport, RenderOptions, ReportDocument } from './report.types.ts';

/**
 * Renders an inspection report as an A4 PDF: a cover page, the flagged items by severity,
 * every section's answers, then the photos. Text in Latin, Greek, Cyrillic and Simplified
 * Chinese prints with embedded Noto fonts.
 *
 * Drawing is synchronous, so the event loop is busy for the whole render once the fonts are
 * loaded (the first call reads about 18 MB of font files).
 *
 * @example
 * const { pdf, pageCount } = await renderReportPdf(report);
 * await writeFile('report.pdf', pdf);
 */
export async function renderReportPdf(
  report: ReportDocument,
  options: RenderOptions = {},
): Promise<RenderedReport> {
  const fonts = await loadFontFiles();
  const canvas = ReportCanvas.create(fonts, documentInfo(report));

  const photos = openPhotos(canvas.doc, report);

  drawCover(canvas, report, photos);
  drawFlags(canvas, report.flags);
  drawSections(canvas, report.sections, options.hiddenQuestions ?? 'mark');
  drawPhotos(canvas, report, photos);
  drawPageFurniture(canvas, report);

  const pageCount = canvas.doc.bufferedPageRange().count;
  return { pdf: await collectOutput(canvas.doc), pageCount };
}

function documentInfo(report: ReportDocument): PDFKit.DocumentInfo {
  const generatedAt = new Date(report.generatedAt);
  const info: PDFKit.DocumentInfo = {
    Title: `${report.title} — ${report.facility.name}`,
    Author: report.inspector.name,
    Subject: `Inspection report for survey ${report.surveyId}`,
    Creator: report.organisationName,
    Producer: 'Avior',
  };
  if (Number.isNaN(generatedAt.getTime())) {
    return info;
  }
  return { ...info, CreationDate: generatedAt, ModDate: generatedAt };
}

function collectOutput(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
