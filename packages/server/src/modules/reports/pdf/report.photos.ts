import type { ReportCanvas } from './report.canvas.ts';
import { drawColumns, measureColumns, type Column, type TextBlock } from './report.columns.ts';
import { formatGps, formatTimestamp } from './report.format.ts';
import { drawHeading, drawPartTitle } from './report.headings.ts';
import { drawImage, openImage, type PdfImage } from './report.pdfkit.ts';
import { COLORS, SEVERITY_COLORS, STYLES, withColor } from './report.theme.ts';
import type { FailedPhoto, PhotoFinding, ReportDocument, ReportPhoto } from './report.types.ts';

const CAPTION_GAP = 8;
const PHOTO_GAP = 22;
/** A photo never shrinks below this share of the page height to make room for its caption. */
const MIN_IMAGE_SHARE = 0.45;
/**
 * Tallest photo as a share of the page height, so a portrait photo still fits under the
 * part title and most pages hold a photo with its caption and part of the next.
 */
const MAX_IMAGE_SHARE = 0.6;

/** A photo whose JPEG pdfkit parsed, ready to draw. */
export interface PrintablePhoto {
  readonly photo: ReportPhoto;
  readonly image: PdfImage;
}

/** The photos of a report split into those that print and those that cannot. */
export interface PhotoSet {
  readonly printable: readonly PrintablePhoto[];
  /** Photos that failed processing upstream, then those whose JPEG could not be read. */
  readonly failed: readonly FailedPhoto[];
}

/** Parses every photo's JPEG, so the cover can count the photos that really print. */
export function openPhotos(doc: PDFKit.PDFDocument, report: ReportDocument): PhotoSet {
  const printable: PrintablePhoto[] = [];
  const failed: FailedPhoto[] = [...report.failedPhotos];

  for (const photo of report.photos) {
    try {
      printable.push({ photo, image: openImage(doc, photo.jpeg) });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      failed.push({ fileName: photo.fileName, reason: `The JPEG could not be read: ${detail}` });
    }
  }
  return { printable, failed };
}

/**
 * Draws each photo at the content width (shorter when a portrait photo and its caption
 * would not fit on a page), then the photos that could not be printed and the findings
 * that name no printed photo.
 */
export function drawPhotos(canvas: ReportCanvas, report: ReportDocument, photos: PhotoSet): void {
  drawPartTitle(canvas, 'Photos');
  if (photos.printable.length === 0 && photos.failed.length === 0) {
    canvas.paragraph('No photos were attached to this survey.', STYLES.muted);
  }

  for (const { photo, image } of photos.printable) {
    const findings = report.photoFindings.filter((finding) => finding.fileName === photo.fileName);
    drawPhoto(canvas, photo, image, findings);
  }

  const printed = new Set(photos.printable.map(({ photo }) => photo.fileName));
  drawFailedPhotos(canvas, photos.failed);
  drawOtherFindings(
    canvas,
    report.photoFindings.filter((finding) => !printed.has(finding.fileName)),
  );
}

/** Draws one photo with its caption under it. */
function drawPhoto(
  canvas: ReportCanvas,
  photo: ReportPhoto,
  image: PdfImage,
  findings: readonly PhotoFinding[],
): void {
  const caption = captionColumns(canvas, photo, findings);
  const captionHeight = Math.min(
    measureColumns(canvas, caption),
    canvas.contentHeight * (1 - MIN_IMAGE_SHARE),
  );
  const maxHeight = Math.min(
    canvas.contentHeight * MAX_IMAGE_SHARE,
    canvas.contentHeight - captionHeight - CAPTION_GAP,
  );
  const size = fitImage(image, canvas.contentWidth, maxHeight);
  canvas.ensureSpace(PHOTO_GAP + size.height + CAPTION_GAP + captionHeight);
  canvas.moveDown(canvas.atPageTop ? 0 : PHOTO_GAP);

  const box = { x: canvas.left + (canvas.contentWidth - size.width) / 2, y: canvas.y, ...size };
  drawImage(canvas.doc, image, box);
  canvas.doc
    .save()
    .rect(box.x, box.y, box.width, box.height)
    .lineWidth(0.5)
    .strokeColor(COLORS.rule)
    .stroke();
  canvas.doc.restore();
  canvas.y += size.height + CAPTION_GAP;
  drawColumns(canvas, caption);
}

/** Scales an image to the maximum width, or less when it would be taller than maxHeight. */
function fitImage(
  image: PdfImage,
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
  return { width: image.width * scale, height: image.height * scale };
}

function captionColumns(
  canvas: ReportCanvas,
  photo: ReportPhoto,
  findings: readonly PhotoFinding[],
): Column[] {
  const blocks: TextBlock[] = [{ text: photo.fileName, style: STYLES.label }];
  const question = [photo.sectionTitle, photo.questionLabel]
    .filter((part) => part !== null)
    .join(' › ');
  if (question !== '') {
    blocks.push({ text: `Question: ${question}`, style: STYLES.body });
  }
  blocks.push({
    text: `Captured: ${formatTimestamp(photo.capturedAt, 'Unknown')}`,
    style: STYLES.body,
  });
  if (photo.gps !== null) {
    blocks.push({ text: `GPS: ${formatGps(photo.gps)}`, style: STYLES.body });
  }
  for (const note of photo.qualityNotes) {
    blocks.push({
      text: `Quality: ${note}`,
      style: withColor(STYLES.body, SEVERITY_COLORS.medium),
    });
  }
  for (const finding of findings) {
    blocks.push({
      text: `Finding: ${finding.message}`,
      style: withColor(STYLES.body, SEVERITY_COLORS.high),
    });
  }
  return [{ x: canvas.left, width: canvas.contentWidth, blocks }];
}

function drawFailedPhotos(canvas: ReportCanvas, failed: readonly FailedPhoto[]): void {
  if (failed.length === 0) {
    return;
  }
  drawTable(
    canvas,
    'Photos that could not be processed',
    failed.map((photo) => [photo.fileName, photo.reason]),
  );
}

function drawOtherFindings(canvas: ReportCanvas, findings: readonly PhotoFinding[]): void {
  if (findings.length === 0) {
    return;
  }
  drawTable(
    canvas,
    'Findings on photos not shown',
    findings.map((finding) => [finding.fileName, finding.message]),
  );
}

function drawTable(
  canvas: ReportCanvas,
  title: string,
  rows: readonly (readonly [string, string])[],
): void {
  const nameWidth = canvas.contentWidth * 0.4;
  const columnsOf = ([name, detail]: readonly [string, string]): Column[] => [
    { x: canvas.left, width: nameWidth - 12, blocks: [{ text: name, style: STYLES.label }] },
    {
      x: canvas.left + nameWidth,
      width: canvas.contentWidth - nameWidth,
      blocks: [{ text: detail, style: STYLES.body }],
    },
  ];
  const firstRow = rows[0];

  drawHeading(
    canvas,
    title,
    firstRow === undefined ? 0 : measureColumns(canvas, columnsOf(firstRow)),
  );
  rows.forEach((row, index) => {
    drawColumns(canvas, columnsOf(row), { separated: index > 0 });
  });
}
