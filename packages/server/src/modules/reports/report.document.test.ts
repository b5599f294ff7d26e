import type { TemplateDefinition } from '@avior/contract';
import { describe, expect, it } from 'vitest';
import { buildReportDocument, type ReportSources } from './report.document.ts';
import type { FindingRecord, PhotoRecord, SurveyForReport } from './reports.repository.ts';

const DEFINITION: TemplateDefinition = {
  key: 'boiler-room',
  title: 'Boiler room walk-through',
  sections: [
    {
      id: 'access',
      title: 'Access',
      questions: [
        {
          id: 'door_clear',
          type: 'yes_no_na',
          label: 'Is the door free of obstructions?',
          required: true,
          rules: [
            {
              when: { operator: 'equals', value: 'no' },
              severity: 'high',
              message: 'Exit blocked',
            },
          ],
        },
        {
          id: 'blocked_by',
          type: 'text',
          label: 'What blocks the door?',
          required: false,
          visibleIf: { questionId: 'door_clear', operator: 'equals', value: 'no' },
        },
        {
          id: 'signage',
          type: 'yes_no_na',
          label: 'Is the exit sign lit?',
          required: false,
          visibleIf: { questionId: 'door_clear', operator: 'equals', value: 'yes' },
        },
      ],
    },
    {
      id: 'plant',
      title: 'Plant',
      questions: [
        { id: 'last_service', type: 'date', label: 'Last service', required: false },
        { id: 'photos', type: 'photo', label: 'Boiler photos', required: false },
        { id: 'remarks', type: 'text', label: 'Remarks', required: false },
      ],
    },
  ],
};

const SURVEY: SurveyForReport = {
  id: '0190f000-0000-7000-8000-000000000001',
  status: 'submitted',
  createdAt: new Date('2025-03-10T08:00:00Z'),
  dueDate: '2025-03-21',
  submittedAt: new Date('2025-03-14T16:05:12Z'),
  score: 40,
  riskLevel: 'critical',
  organisationName: 'Northwind Facilities',
  facility: { name: 'Boiler house', address: '1 Kingsway', kind: 'plant' },
  inspector: { name: 'Ian Inspector', email: 'inspector@northwind.example' },
  templateTitle: 'Boiler room walk-through',
  templateVersion: 3,
  definition: DEFINITION,
};

function photoRecord(
  id: string,
  fileName: string,
  overrides: Partial<PhotoRecord> = {},
): PhotoRecord {
  return {
    id,
    questionId: 'photos',
    fileName,
    status: 'processed',
    failureReason: null,
    metadata: null,
    derivatives: null,
    ...overrides,
  };
}

function finding(overrides: Partial<FindingRecord>): FindingRecord {
  return {
    media_id: null,
    question_id: null,
    source: 'survey_rules',
    severity: 'medium',
    message: 'Finding',
    evidence: {},
    ...overrides,
  };
}

const PRINTED = photoRecord('media-1', 'boiler.jpg', {
  metadata: {
    capturedAt: '2025-03-14T09:41:00+01:00',
    gps: { latitude: 51.5, longitude: -0.12, altitude: null },
  },
});
const REJECTED = photoRecord('media-2', 'broken.jpg', {
  status: 'failed',
  failureReason: 'Not an image',
});

function sources(overrides: Partial<ReportSources> = {}): ReportSources {
  return {
    survey: SURVEY,
    definition: DEFINITION,
    answers: [
      { questionId: 'door_clear', value: 'no', note: 'Pallets in front of the door' },
      { questionId: 'blocked_by', value: 'Pallets', note: null },
      { questionId: 'signage', value: 'yes', note: 'Left over from an earlier draft' },
      { questionId: 'last_service', value: '2024-11-02', note: null },
      { questionId: 'photos', value: ['media-1'], note: null },
    ],
    findings: [
      finding({ question_id: 'door_clear', severity: 'high', message: 'Exit blocked' }),
      finding({ question_id: 'door_clear', severity: 'low', message: 'Door sticks' }),
      finding({
        media_id: 'media-1',
        source: 'photo_quality',
        severity: 'low',
        message: 'Photo is blurry',
      }),
      finding({
        media_id: 'media-2',
        source: 'photo_quality',
        severity: 'info',
        message: 'Duplicate of boiler.jpg',
      }),
    ],
    printable: [{ record: PRINTED, jpeg: Buffer.from([0xff, 0xd8]), width: 1600, height: 1200 }],
    unprintable: [{ record: REJECTED, reason: 'Not an image' }],
    generatedAt: new Date('2025-03-15T07:30:00Z'),
    ...overrides,
  };
}

function questionOf(id: string) {
  const document = buildReportDocument(sources());
  const question = document.sections
    .flatMap((section) => section.questions)
    .find((q) => q.id === id);
  if (!question) throw new Error(`question ${id} missing from the report`);
  return question;
}

describe('buildReportDocument', () => {
  it('copies the cover facts', () => {
    const document = buildReportDocument(sources());
    expect(document).toMatchObject({
      organisationName: 'Northwind Facilities',
      title: 'Boiler room walk-through',
      templateVersion: 3,
      facility: { name: 'Boiler house', address: '1 Kingsway', kind: 'plant' },
      inspector: { name: 'Ian Inspector', email: 'inspector@northwind.example' },
      assignedAt: '2025-03-10T08:00:00.000Z',
      dueDate: '2025-03-21',
      submittedAt: '2025-03-14T16:05:12.000Z',
      generatedAt: '2025-03-15T07:30:00.000Z',
    });
  });

  it('keeps the stored score and risk level', () => {
    const document = buildReportDocument(sources());
    expect([document.score, document.riskLevel]).toEqual([40, 'critical']);
  });

  it('evaluates the answers when the survey has no score', () => {
    const survey = { ...SURVEY, score: null, riskLevel: null };
    const document = buildReportDocument(sources({ survey }));
    expect([document.score, document.riskLevel]).toEqual([0, 'critical']);
  });

  it.each([
    ['door_clear', 'No'],
    ['blocked_by', 'Pallets'],
    ['last_service', '2 Nov 2024'],
    ['photos', '1 photo'],
    ['remarks', null],
  ])('formats the answer to %s as %j', (id, expected) => {
    expect(questionOf(id).answer).toBe(expected);
  });

  it('marks a question hidden by its condition', () => {
    expect(questionOf('signage').hidden).toBe(true);
  });

  it('prints no answer to a hidden question', () => {
    expect(questionOf('signage').answer).toBeNull();
  });

  it('prints no note of a hidden question', () => {
    expect(questionOf('signage').note).toBeNull();
  });

  it('keeps the note of a visible question', () => {
    expect(questionOf('door_clear').note).toBe('Pallets in front of the door');
  });

  it('gives a question its worst flag severity', () => {
    expect(questionOf('door_clear').severity).toBe('high');
  });

  it('turns survey rule findings into flags', () => {
    const document = buildReportDocument(sources());
    expect(document.flags).toEqual([
      {
        questionId: 'door_clear',
        sectionTitle: 'Access',
        questionLabel: 'Is the door free of obstructions?',
        answer: 'No',
        severity: 'high',
        message: 'Exit blocked',
      },
      {
        questionId: 'door_clear',
        sectionTitle: 'Access',
        questionLabel: 'Is the door free of obstructions?',
        answer: 'No',
        severity: 'low',
        message: 'Door sticks',
      },
    ]);
  });

  it('orders flags as the template orders questions', () => {
    const findings = [
      finding({ question_id: 'remarks', severity: 'low', message: 'Remark flagged' }),
      finding({ question_id: 'door_clear', severity: 'high', message: 'Exit blocked' }),
    ];
    const document = buildReportDocument(sources({ findings }));
    expect(document.flags.map((flag) => flag.questionId)).toEqual(['door_clear', 'remarks']);
  });

  it('labels a flag from its evidence when the template lacks its question', () => {
    const findings = [
      finding({
        question_id: 'gone',
        severity: 'medium',
        evidence: { sectionTitle: 'Old section', questionLabel: 'Old question', answer: 'no' },
      }),
    ];
    const [flag] = buildReportDocument(sources({ findings })).flags;
    expect(flag).toMatchObject({
      sectionTitle: 'Old section',
      questionLabel: 'Old question',
      answer: 'no',
    });
  });

  it('leaves out a survey finding of severity info', () => {
    const findings = [finding({ question_id: 'door_clear', severity: 'info' })];
    expect(buildReportDocument(sources({ findings })).flags).toEqual([]);
  });

  it('places a photo under its question', () => {
    const [photo] = buildReportDocument(sources()).photos;
    expect(photo).toMatchObject({
      mediaId: 'media-1',
      fileName: 'boiler.jpg',
      questionLabel: 'Boiler photos',
      sectionTitle: 'Plant',
      width: 1600,
      height: 1200,
    });
  });

  it('reads capture time and position from the metadata', () => {
    const [photo] = buildReportDocument(sources()).photos;
    expect([photo?.capturedAt, photo?.gps]).toEqual([
      '2025-03-14T09:41:00+01:00',
      { latitude: 51.5, longitude: -0.12 },
    ]);
  });

  it('prints no position when the metadata has none', () => {
    const printable = [
      {
        record: { ...PRINTED, metadata: { gps: null } },
        jpeg: Buffer.alloc(2),
        width: 1,
        height: 1,
      },
    ];
    const [photo] = buildReportDocument(sources({ printable })).photos;
    expect(photo?.gps).toBeNull();
  });

  it('shows quality findings as notes under a printed photo', () => {
    const [photo] = buildReportDocument(sources()).photos;
    expect(photo?.qualityNotes).toEqual(['Photo is blurry']);
  });

  it('lists findings of an unprinted photo as photo findings', () => {
    const document = buildReportDocument(sources());
    expect(document.photoFindings).toEqual([
      { fileName: 'broken.jpg', message: 'Duplicate of boiler.jpg' },
    ]);
  });

  it('lists unprintable photos with their reason', () => {
    const document = buildReportDocument(sources());
    expect(document.failedPhotos).toEqual([{ fileName: 'broken.jpg', reason: 'Not an image' }]);
  });
});
