import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  CJK_ANSWER,
  CYRILLIC_ANSWER,
  FRENCH_ANSWER,
  GREEK_ANSWER,
  fixturePhoto,
  largeReport,
  listFixturePhotos,
  multilingualReport,
} from './report.fixtures.ts';
import { renderReportPdf } from './report.pdf.ts';
import type { RenderedReport, ReportDocument, ReportPhoto } from './report.types.ts';

const POPPLER_TOOLS = ['pdftotext', 'pdfimages', 'pdfinfo', 'pdffonts'] as const;

/**
 * Fails with the install command when a poppler-utils tool is missing, so the tests never
 * pass without checking anything.
 */
function requirePoppler(): void {
  for (const tool of POPPLER_TOOLS) {
    try {
      execFileSync(tool, ['-v'], { stdio: 'ignore' });
    } catch (error) {
      throw new Error(
        `${tool} was not found. ` +
          'Install poppler-utils (apt-get install poppler-utils) to run the report PDF tests.',
        { cause: error },
      );
    }
  }
}

interface PdfProbe {
  readonly text: string;
  readonly pageTexts: readonly string[];
  readonly images: readonly string[][];
  readonly info: ReadonlyMap<string, string>;
  readonly fonts: string;
}

let workFolder = '';

/** Writes the PDF to a temporary file and reads it back with the poppler tools. */
async function probe(rendered: RenderedReport, name: string): Promise<PdfProbe> {
  const path = join(workFolder, `${name}.pdf`);
  await writeFile(path, rendered.pdf);
  const run = (tool: string, ...args: string[]): string =>
    execFileSync(tool, [...args, path, ...(tool === 'pdftotext' ? ['-'] : [])], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });

  const text = run('pdftotext', '-enc', 'UTF-8');
  const imageRows = run('pdfimages', '-list').split('\n').slice(2);
  const infoLines = run('pdfinfo').split('\n');
  return {
    text,
    // pdftotext ends every page with a form feed.
    pageTexts: text.split('\f').slice(0, -1),
    images: imageRows
      .map((row) => row.trim().split(/\s+/))
      .filter((columns) => columns[2] === 'image'),
    info: new Map(
      infoLines.map((line) => [
        line.slice(0, line.indexOf(':')),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
    ),
    fonts: run('pdffonts'),
  };
}

beforeAll(async () => {
  requirePoppler();
  workFolder = await mkdtemp(join(tmpdir(), 'avior-report-pdf-'));
});

afterAll(async () => {
  if (workFolder !== '') {
    await rm(workFolder, { recursive: true, force: true });
  }
});

describe('renderReportPdf', () => {
  let photos: ReportPhoto[];
  let report: ReportDocument;
  let rendered: RenderedReport;
  let pdf: PdfProbe;

  beforeAll(async () => {
    const names = await listFixturePhotos();
    photos = await Promise.all(
      names.slice(0, 4).map((name, index) =>
        fixturePhoto(name, {
          gps: index === 0 ? { latitude: 45.77639, longitude: 4.83211 } : null,
          qualityNotes: index === 1 ? ['The photo looks blurry: sharpness 12 is under 40.'] : [],
        }),
      ),
    );
    report = multilingualReport(photos);
    rendered = await renderReportPdf(report);
    pdf = await probe(rendered, 'multilingual');
  });

  const scriptCases = [
    ['Chinese', CJK_ANSWER],
    ['French', FRENCH_ANSWER],
    ['Cyrillic', CYRILLIC_ANSWER],
    ['Greek', GREEK_ANSWER],
  ] as const;

  it.each(scriptCases)('prints the %s answer exactly', (_script, answer) => {
    expect(pdf.text).toContain(answer);
  });

  it('prints every answer', () => {
    const answers = report.sections.flatMap((section) =>
      section.questions.flatMap((question) => (question.answer === null ? [] : [question.answer])),
    );
    const missing = answers.filter((answer) => !pdf.text.includes(answer));
    expect(missing).toEqual([]);
  });

  it('prints each flag question and message', () => {
    const expected = report.flags.flatMap((flag) => [flag.questionLabel, flag.message]);
    const missing = expected.filter((text) => !pdf.text.includes(text));
    expect(missing).toEqual([]);
  });

  it('lists flag groups critical first', () => {
    const positions = ['Critical', 'High', 'Medium', 'Low'].map((label) =>
      pdf.text.indexOf(`${label}\n`, pdf.text.indexOf('Flagged items\n')),
    );
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('marks unanswered and hidden questions', () => {
    expect(pdf.text).toContain('Not answered');
    expect(pdf.text).toContain('Not applicable (condition not met)');
  });

  it('prints notes under their answers', () => {
    expect(pdf.text).toContain('Note: 检查人员：王伟');
  });

  it('prints the score and risk level on the cover', () => {
    expect(pdf.pageTexts[0]).toContain('62.5 / 100');
    expect(pdf.pageTexts[0]).toContain('High risk');
  });

  it('counts photos on the cover', () => {
    expect(pdf.pageTexts[0]).toContain('4 photos, 1 could not be printed');
  });

  it('prints dates in UTC on the cover', () => {
    expect(pdf.pageTexts[0]).toContain('2025-03-14 16:05 UTC');
  });

  it('embeds one image per photo', () => {
    expect(pdf.images).toHaveLength(photos.length);
  });

  it('keeps the aspect ratio of every photo', () => {
    const distorted = pdf.images.filter((columns) => columns[12] !== columns[13]);
    expect(distorted).toEqual([]);
  });

  it('prints photo captions', () => {
    expect(pdf.text).toContain(photos[0]?.fileName);
    expect(pdf.text).toContain('GPS: 45.77639, 4.83211');
    expect(pdf.text).toContain('Quality: The photo looks blurry: sharpness 12 is under 40.');
    expect(pdf.text).toContain('Finding: Visible corrosion on the valve');
  });

  it('lists photos that failed processing', () => {
    expect(pdf.text).toContain('IMG_0042.HEIC');
    expect(pdf.text).toContain('Unsupported HEIC variant: decoding failed');
  });

  it('numbers every page', () => {
    const unnumbered = pdf.pageTexts.filter(
      (text, index) => !text.includes(`Page ${index + 1} of ${rendered.pageCount}`),
    );
    expect(pdf.text).toContain('Page 1 of');
    expect(unnumbered).toEqual([]);
  });

  it('reports the page count pdfinfo reads', () => {
    expect(Number(pdf.info.get('Pages'))).toBe(rendered.pageCount);
  });

  it('fills the document metadata', () => {
    expect(pdf.info.get('Title')).toBe('Annual fire and electrical audit — Depot 12 – Lyon Nord');
    expect(pdf.info.get('Author')).toBe('Élodie Marchand');
    expect(pdf.info.get('CreationDate')).toContain('Mar 15 07:30:00 2025');
  });

  it.each(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSansHans-Regular'])(
    'embeds a subset of %s',
    (font) => {
      expect(pdf.fonts).toMatch(new RegExp(`[A-Z]{6}\\+${font}\\s`));
    },
  );
});

describe('renderReportPdf with unusual input', () => {
  it('omits hidden questions on request', async () => {
    const report = multilingualReport([]);
    const pdf = await probe(await renderReportPdf(report, { hiddenQuestions: 'omit' }), 'omit');

    expect(pdf.text).not.toContain('Reason the sprinklers were painted');
    expect(pdf.text).not.toContain('Not applicable (condition not met)');
  });

  it('lists a photo whose JPEG is corrupt as failed', async () => {
    const photo = await fixturePhoto((await listFixturePhotos())[0] ?? '', {
      fileName: 'broken.jpg',
    });
    const report = multilingualReport([{ ...photo, jpeg: Buffer.from('not a jpeg') }]);
    const pdf = await probe(await renderReportPdf(report), 'corrupt');

    expect(pdf.images).toHaveLength(0);
    expect(pdf.pageTexts[0]).toContain('0 photos, 2 could not be printed');
    expect(pdf.text).toContain('broken.jpg');
    expect(pdf.text).toContain('The JPEG could not be read');
  });

  it('renders a report with nothing in it', async () => {
    const empty: ReportDocument = {
      ...multilingualReport([]),
      score: null,
      riskLevel: null,
      dueDate: null,
      submittedAt: null,
      flags: [],
      sections: [],
      failedPhotos: [],
      photoFindings: [],
    };
    const rendered = await renderReportPdf(empty);
    const pdf = await probe(rendered, 'empty');

    expect(pdf.text).toContain('Not scored');
    expect(pdf.text).toContain('Risk not assessed');
    expect(pdf.text).toContain('No answers were flagged.');
    expect(pdf.text).toContain('No photos were attached to this survey.');
    expect(Number(pdf.info.get('Pages'))).toBe(rendered.pageCount);
  });
});

describe('renderReportPdf with a large report', () => {
  let report: ReportDocument;
  let rendered: RenderedReport;
  let pdf: PdfProbe;

  beforeAll(async () => {
    const names = await listFixturePhotos();
    const photos = await Promise.all(
      Array.from({ length: 16 }, (_, index) => {
        const name = names[index % names.length] ?? '';
        return fixturePhoto(name, { fileName: `${index + 1}-${name}` });
      }),
    );
    report = largeReport(photos);
    rendered = await renderReportPdf(report);
    pdf = await probe(rendered, 'large');
  });

  it('prints all 283 questions', () => {
    const labels = report.sections.flatMap((section) =>
      section.questions.map((question) => question.label),
    );
    const flattened = pdf.text.replace(/\s+/g, ' ');
    const missing = labels.filter((label) => !flattened.includes(label));
    expect(labels).toHaveLength(283);
    expect(missing).toEqual([]);
  });

  it('prints 2,000-character answers in full', () => {
    const countWords = (text: string): number => text.match(/observation/g)?.length ?? 0;
    const answers = report.sections.flatMap((section) =>
      section.questions.map((question) => question.answer ?? ''),
    );
    const longAnswers = answers.filter((answer) => answer.length === 2000);
    expect(longAnswers).toHaveLength(31);
    expect(countWords(pdf.text)).toBe(countWords(longAnswers.join(' ')));
  });

  it('cuts an overlong word without loss', () => {
    const joined = pdf.text.replace(/\n/g, '');
    expect(joined).toContain(
      'Brandschutzklappenfunktionsprüfungsprotokollnummerierungsverfahren'.repeat(3),
    );
  });

  it('prints mixed-script answers', () => {
    expect(pdf.text).toContain(CJK_ANSWER);
    expect(pdf.text).toContain(CYRILLIC_ANSWER);
  });

  it('prints an empty section', () => {
    expect(pdf.text).toContain('Section with no questions');
    expect(pdf.text).toContain('No questions in this section.');
  });

  it('embeds all 16 photos', () => {
    expect(pdf.images).toHaveLength(16);
  });

  it('reports the page count pdfinfo reads', () => {
    expect(Number(pdf.info.get('Pages'))).toBe(rendered.pageCount);
  });

  it('numbers the last page', () => {
    expect(pdf.pageTexts.at(-1)).toContain(`Page ${rendered.pageCount} of ${rendered.pageCount}`);
  });
});
