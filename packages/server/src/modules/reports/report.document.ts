import type { AnswerValue, Question, TemplateDefinition } from '@avior/contract';
import { formatAnswer } from '@avior/contract';
import { isAnswered } from '@avior/contract';
import { evaluateSurvey } from '@avior/contract';
import { listVisibleQuestionIds, type AnswerMap } from '@avior/contract';
import type {
  FailedPhoto,
  PhotoFinding,
  ReportDocument,
  ReportFlag,
  ReportPhoto,
  ReportSection,
  RiskLevel,
  Severity,
} from './pdf/report.types.ts';
import type {
  AnswerRecord,
  FindingRecord,
  PhotoRecord,
  SurveyForReport,
} from './reports.repository.ts';

/** A photo whose report-size JPEG was read from storage. */
export interface PrintablePhoto {
  readonly record: PhotoRecord;
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
}

/** A photo that cannot be printed, with the reason shown in the report. */
export interface UnprintablePhoto {
  readonly record: PhotoRecord;
  readonly reason: string;
}

/** Everything read from storage that a report is built from. */
export interface ReportSources {
  readonly survey: SurveyForReport;
  readonly definition: TemplateDefinition;
  readonly answers: readonly AnswerRecord[];
  readonly findings: readonly FindingRecord[];
  readonly printable: readonly PrintablePhoto[];
  readonly unprintable: readonly UnprintablePhoto[];
  readonly generatedAt: Date;
}

interface QuestionPlace {
  readonly question: Question;
  readonly sectionTitle: string;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/**
 * Builds the report of a survey. Flags are the stored `survey_rules` findings, which the
 * survey module rewrites at each submission and review. `photo_quality` findings print as
 * quality notes under their photo, and other findings tied to a photo as photo findings.
 * Hidden questions carry no answer, because the inspector never saw them.
 */
export function buildReportDocument(sources: ReportSources): ReportDocument {
  const { survey, definition } = sources;
  const answers = toAnswerMap(sources.answers);
  const places = indexPlaces(definition);
  const flags = buildFlags(sources.findings, places, answers);
  const evaluation = evaluateSurvey(definition, answers);

  return {
    organisationName: survey.organisationName,
    title: survey.templateTitle,
    templateVersion: survey.templateVersion,
    facility: survey.facility,
    inspector: survey.inspector,
    surveyId: survey.id,
    assignedAt: survey.createdAt.toISOString(),
    dueDate: survey.dueDate,
    submittedAt: survey.submittedAt ? survey.submittedAt.toISOString() : null,
    generatedAt: sources.generatedAt.toISOString(),
    score: survey.score ?? evaluation.score,
    riskLevel: toRiskLevel(survey.riskLevel) ?? evaluation.riskLevel,
    flags,
    sections: buildSections(definition, sources.answers, answers, flags),
    ...buildPhotos(sources, places),
  };
}

function toAnswerMap(records: readonly AnswerRecord[]): AnswerMap {
  const answers = new Map<string, AnswerValue>();
  for (const record of records) {
    if (record.value !== null && record.value !== undefined) {
      answers.set(record.questionId, record.value as AnswerValue);
    }
  }

  return answers;
}

function indexPlaces(definition: TemplateDefinition): ReadonlyMap<string, QuestionPlace> {
  const places = new Map<string, QuestionPlace>();
  for (const section of definition.sections) {
    for (const question of section.questions) {
      places.set(question.id, { question, sectionTitle: section.title });
    }
  }

  return places;
}

function buildFlags(
  findings: readonly FindingRecord[],
  places: ReadonlyMap<string, QuestionPlace>,
  answers: AnswerMap,
): ReportFlag[] {
  const order = [...places.keys()];
  const flags: ReportFlag[] = [];
  for (const finding of findings) {
    const severity = toSeverity(finding.severity);
    if (finding.source !== 'survey_rules' || severity === null) {
      continue;
    }

    flags.push(toFlag(finding, severity, places, answers));
  }

  return flags.sort((a, b) => order.indexOf(a.questionId) - order.indexOf(b.questionId));
}

// The labels stored in the finding's evidence stand in when the template has no question with
// the finding's question id.
function toFlag(
  finding: FindingRecord,
  severity: Severity,
  places: ReadonlyMap<string, QuestionPlace>,
  answers: AnswerMap,
): ReportFlag {
  const questionId = finding.question_id ?? '';
  const place = places.get(questionId);
  const evidence = asRecord(finding.evidence);
  const answer = answers.get(questionId);

  return {
    questionId,
    sectionTitle: place?.sectionTitle ?? stringOr(evidence.sectionTitle, ''),
    questionLabel: place?.question.label ?? stringOr(evidence.questionLabel, questionId),
    answer: place ? formatAnswer(place.question, answer) : stringOr(evidence.answer, ''),
    severity,
    message: finding.message,
  };
}

function buildSections(
  definition: TemplateDefinition,
  records: readonly AnswerRecord[],
  answers: AnswerMap,
  flags: readonly ReportFlag[],
): ReportSection[] {
  const visible = listVisibleQuestionIds(definition, answers);
  const notes = new Map(records.map((record) => [record.questionId, record.note]));
  const severities = worstSeverityByQuestion(flags);

  return definition.sections.map((section) => ({
    title: section.title,
    questions: section.questions.map((question) => {
      const hidden = !visible.has(question.id);
      const answer = answers.get(question.id);
      return {
        id: question.id,
        label: question.label,
        answer: !hidden && isAnswered(answer) ? formatAnswer(question, answer) : null,
        note: hidden ? null : (notes.get(question.id) ?? null),
        severity: severities.get(question.id) ?? null,
        hidden,
      };
    }),
  }));
}

function worstSeverityByQuestion(flags: readonly ReportFlag[]): ReadonlyMap<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const flag of flags) {
    const current = worst.get(flag.questionId);
    if (!current || SEVERITY_RANK[flag.severity] > SEVERITY_RANK[current]) {
      worst.set(flag.questionId, flag.severity);
    }
  }

  return worst;
}

type PhotoParts = Pick<ReportDocument, 'photos' | 'failedPhotos' | 'photoFindings'>;

function buildPhotos(
  sources: ReportSources,
  places: ReadonlyMap<string, QuestionPlace>,
): PhotoParts {
  const printedIds = new Set(sources.printable.map((photo) => photo.record.id));
  const qualityNotes = new Map<string, string[]>();
  const photoFindings: PhotoFinding[] = [];
  const fileNames = new Map(
    [...sources.printable, ...sources.unprintable].map(({ record }) => [
      record.id,
      record.fileName,
    ]),
  );

  for (const finding of sources.findings) {
    const fileName = finding.media_id ? fileNames.get(finding.media_id) : undefined;
    if (!finding.media_id || fileName === undefined || finding.source === 'survey_rules') {
      continue;
    }

    if (finding.source === 'photo_quality' && printedIds.has(finding.media_id)) {
      appendTo(qualityNotes, finding.media_id, finding.message);
    } else {
      photoFindings.push({ fileName, message: finding.message });
    }
  }

  return {
    photos: sources.printable.map((photo) =>
      toReportPhoto(photo, places, qualityNotes.get(photo.record.id) ?? []),
    ),
    failedPhotos: sources.unprintable.map(toFailedPhoto),
    photoFindings,
  };
}

function toReportPhoto(
  photo: PrintablePhoto,
  places: ReadonlyMap<string, QuestionPlace>,
  qualityNotes: readonly string[],
): ReportPhoto {
  const { record } = photo;
  const place = record.questionId ? places.get(record.questionId) : undefined;
  const metadata = asRecord(record.metadata);

  return {
    mediaId: record.id,
    fileName: record.fileName,
    questionLabel: place?.question.label ?? null,
    sectionTitle: place?.sectionTitle ?? null,
    capturedAt: typeof metadata.capturedAt === 'string' ? metadata.capturedAt : null,
    gps: readGps(metadata.gps),
    jpeg: photo.jpeg,
    width: photo.width,
    height: photo.height,
    qualityNotes,
  };
}

function toFailedPhoto(photo: UnprintablePhoto): FailedPhoto {
  return { fileName: photo.record.fileName, reason: photo.reason };
}

function readGps(value: unknown): ReportPhoto['gps'] {
  const gps = asRecord(value);
  if (typeof gps.latitude !== 'number' || typeof gps.longitude !== 'number') {
    return null;
  }

  return { latitude: gps.latitude, longitude: gps.longitude };
}

function toSeverity(value: string | null): Severity | null {
  return value !== null && Object.hasOwn(SEVERITY_RANK, value) ? (value as Severity) : null;
}

function toRiskLevel(value: string | null): RiskLevel | null {
  return toSeverity(value);
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function appendTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}
