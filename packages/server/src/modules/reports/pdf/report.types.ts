/** Severity of a flagged answer, from the template's rules. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Overall risk of a survey. */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

/** A photo ready to print: upright JPEG bytes and the facts shown under it. */
export interface ReportPhoto {
  readonly mediaId: string;
  readonly fileName: string;
  readonly questionLabel: string | null;
  readonly sectionTitle: string | null;
  /** Capture time in ISO 8601, from EXIF or the device. */
  readonly capturedAt: string | null;
  /** Decimal degrees (WGS 84). */
  readonly gps: { latitude: number; longitude: number } | null;
  readonly jpeg: Buffer;
  /** Pixel width of the JPEG. The renderer reads the size from the JPEG itself. */
  readonly width: number;
  /** Pixel height of the JPEG. The renderer reads the size from the JPEG itself. */
  readonly height: number;
  readonly qualityNotes: readonly string[];
}

/** An answer that matched a flag rule. */
export interface ReportFlag {
  readonly questionId: string;
  readonly sectionTitle: string;
  readonly questionLabel: string;
  readonly answer: string;
  readonly severity: Severity;
  readonly message: string;
}

/** A question as printed in its section. */
export interface ReportQuestion {
  readonly id: string;
  readonly label: string;
  /** Display text of the answer, or null when the question was not answered. */
  readonly answer: string | null;
  readonly note: string | null;
  readonly severity: Severity | null;
  /** True when the question was not shown to the inspector because its condition was false. */
  readonly hidden: boolean;
}

/** A template section with its questions in template order. */
export interface ReportSection {
  readonly title: string;
  readonly questions: readonly ReportQuestion[];
}

/** A photo that could not be turned into a printable JPEG. */
export interface FailedPhoto {
  readonly fileName: string;
  readonly reason: string;
}

/** A finding raised by photo analysis, tied to the photo by file name. */
export interface PhotoFinding {
  readonly fileName: string;
  readonly message: string;
}

/** Everything the PDF shows. Timestamps are ISO 8601 strings. */
export interface ReportDocument {
  readonly organisationName: string;
  /** Template title. */
  readonly title: string;
  readonly templateVersion: number;
  readonly facility: { name: string; address: string; kind: string };
  readonly inspector: { name: string; email: string };
  readonly surveyId: string;
  readonly assignedAt: string;
  /** Due date, either a date (YYYY-MM-DD) or a timestamp. */
  readonly dueDate: string | null;
  readonly submittedAt: string | null;
  readonly generatedAt: string;
  /** Score from 0 to 100. */
  readonly score: number | null;
  readonly riskLevel: RiskLevel | null;
  readonly flags: readonly ReportFlag[];
  readonly sections: readonly ReportSection[];
  readonly photos: readonly ReportPhoto[];
  readonly failedPhotos: readonly FailedPhoto[];
  readonly photoFindings: readonly PhotoFinding[];
}

/** Treatment of hidden questions in the section pages. */
export type HiddenQuestionMode = 'mark' | 'omit';

/** Rendering choices that do not belong to the report model. */
export interface RenderOptions {
  /** 'mark' (the default) prints hidden questions as not applicable, and 'omit' leaves them out. */
  readonly hiddenQuestions?: HiddenQuestionMode;
}

/** The finished PDF. */
export interface RenderedReport {
  readonly pdf: Buffer;
  readonly pageCount: number;
}
