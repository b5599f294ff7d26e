import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import sharp from 'sharp';

import type {
  ReportDocument,
  ReportFlag,
  ReportPhoto,
  ReportQuestion,
  ReportSection,
} from './report.types.ts';

/*
 * Report models for tests: real photos from the repository's fixtures, answers in several
 * scripts, and a long report shaped like a large facility audit.
 */

const PHOTO_FOLDER = fileURLToPath(new URL('../../../../fixtures/photos/', import.meta.url));

export const CJK_ANSWER = '消防栓检查合格，压力正常';
export const FRENCH_ANSWER = "Contrôle réalisé à l'entrée nord";
export const CYRILLIC_ANSWER = 'Огнетушитель проверен, давление в норме';
export const GREEK_ANSWER = 'Έλεγχος πυροσβεστήρα ολοκληρώθηκε';

/** Lists the JPEG and PNG fixtures that sharp reads without extra codecs, sorted by name. */
export async function listFixturePhotos(): Promise<string[]> {
  const names = await readdir(PHOTO_FOLDER);
  return names.filter((name) => /\.(jpe?g|png)$/i.test(name)).sort();
}

/** Decodes a fixture, applies its EXIF orientation and writes a JPEG of at most 1024 px a side. */
export async function fixturePhoto(
  fileName: string,
  overrides: Partial<ReportPhoto> = {},
): Promise<ReportPhoto> {
  const { data, info } = await sharp(`${PHOTO_FOLDER}${fileName}`)
    .rotate()
    .resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return {
    mediaId: `media-${fileName}`,
    fileName,
    questionLabel: 'Photo of the installation',
    sectionTitle: 'Fire safety',
    capturedAt: '2025-03-14T09:41:00Z',
    gps: null,
    jpeg: data,
    width: info.width,
    height: info.height,
    qualityNotes: [],
    ...overrides,
  };
}

export function question(
  id: string,
  label: string,
  answer: string | null,
  extra: Partial<ReportQuestion> = {},
): ReportQuestion {
  return { id, label, answer, note: null, severity: null, hidden: false, ...extra };
}

export function flag(
  severity: ReportFlag['severity'],
  questionLabel: string,
  message: string,
  answer = 'No',
): ReportFlag {
  return {
    questionId: `q-${questionLabel.length}-${severity}`,
    sectionTitle: 'Fire safety',
    questionLabel,
    answer,
    severity,
    message,
  };
}

/**
 * Builds a small report with every script the fonts cover, flags of each severity and the
 * given photos.
 */
export function multilingualReport(photos: readonly ReportPhoto[]): ReportDocument {
  const sections: ReportSection[] = [
    {
      title: 'Fire safety',
      questions: [
        question('q1', 'Hydrant inspection result', CJK_ANSWER, { note: '检查人员：王伟' }),
        question('q2', 'Where was the check made?', FRENCH_ANSWER),
        question('q3', 'Extinguisher status', CYRILLIC_ANSWER, { severity: 'medium' }),
        question('q4', 'Emergency exit blocked?', 'Yes', {
          severity: 'critical',
          note: 'Pallets stacked in front of exit B.',
        }),
        question('q5', 'Sprinkler heads painted over?', null),
        question('q6', 'Reason the sprinklers were painted', null, { hidden: true }),
      ],
    },
    {
      title: 'Electrical',
      questions: [
        question('q7', 'Panel cover in place?', 'No', { severity: 'high' }),
        question('q8', 'Ελληνικά: κατάσταση πίνακα', GREEK_ANSWER),
        question('q9', 'Last thermographic survey', '2024-11-02'),
      ],
    },
    { title: 'Empty section', questions: [] },
  ];
  return {
    organisationName: 'Northwind Facilities',
    title: 'Annual fire and electrical audit',
    templateVersion: 7,
    facility: {
      name: 'Depot 12 – Lyon Nord',
      address: '14 rue de la Gare, 69009 Lyon, France',
      kind: 'Warehouse',
    },
    inspector: { name: 'Élodie Marchand', email: 'elodie.marchand@example.com' },
    surveyId: 'svy_01HZX3K4M5N6P7Q8R9S0T1U2V3',
    assignedAt: '2025-03-10T08:00:00Z',
    dueDate: '2025-03-21',
    submittedAt: '2025-03-14T16:05:12Z',
    generatedAt: '2025-03-15T07:30:00Z',
    score: 62.5,
    riskLevel: 'high',
    flags: [
      flag('medium', 'Extinguisher status', 'Pressure gauge near the lower limit', CYRILLIC_ANSWER),
      flag('critical', 'Emergency exit blocked?', 'Emergency exit must be cleared today', 'Yes'),
      flag('high', 'Panel cover in place?', 'Live parts exposed, fit the cover', 'No'),
      flag('low', 'Signage legible?', 'Faded exit sign in corridor 3', 'Partly'),
    ],
    sections,
    photos,
    failedPhotos: [
      { fileName: 'IMG_0042.HEIC', reason: 'Unsupported HEIC variant: decoding failed' },
    ],
    photoFindings:
      photos[0] === undefined
        ? []
        : [{ fileName: photos[0].fileName, message: 'Visible corrosion on the valve' }],
  };
}

const LONG_WORD = 'Brandschutzklappenfunktionsprüfungsprotokollnummerierungsverfahren'.repeat(3);

/**
 * Builds a report the size of a large audit: 283 questions in 12 sections, an empty
 * section, 2,000-character answers, a word wider than the answer column and mixed scripts.
 */
export function largeReport(photos: readonly ReportPhoto[]): ReportDocument {
  const base = multilingualReport(photos);
  const sections: ReportSection[] = [];
  let questionNumber = 0;
  for (let sectionIndex = 0; sectionIndex < 12; sectionIndex += 1) {
    const count = sectionIndex === 11 ? 283 - questionNumber : 24;
    const questions: ReportQuestion[] = [];
    for (let index = 0; index < count; index += 1) {
      questionNumber += 1;
      questions.push(largeReportQuestion(questionNumber));
    }
    sections.push({ title: `Area ${sectionIndex + 1}: inspection checklist`, questions });
    if (sectionIndex === 5) {
      sections.push({ title: 'Section with no questions', questions: [] });
    }
  }
  return { ...base, sections };
}

function largeReportQuestion(number: number): ReportQuestion {
  const id = `q${number}`;
  const label =
    `Question ${number}: is the equipment in item ${number} ` +
    'installed, labelled and maintained?';
  switch (number % 9) {
    case 0:
      return question(
        id,
        label,
        `${'Long observation text. '.repeat(87)}End of answer ${number}.`.slice(0, 2000),
      );
    case 1:
      return question(id, label, `${CJK_ANSWER}。${FRENCH_ANSWER} ${CYRILLIC_ANSWER} ${number}`);
    case 2:
      return question(id, label, LONG_WORD, { note: 'Reference copied from the maintenance log.' });
    case 3:
      return question(id, label, null);
    case 4:
      return question(id, label, null, { hidden: true });
    case 5:
      return question(id, label, 'No', {
        severity: 'high',
        note: 'Replace before the next audit.',
      });
    default:
      return question(id, label, `Yes, checked on site (${number}).`);
  }
}
