export { renderReportPdf } from './report.pdf.ts';
export type {
  FailedPhoto,
  HiddenQuestionMode,
  PhotoFinding,
  RenderedReport,
  RenderOptions,
  ReportDocument,
  ReportFlag,
  ReportPhoto,
  ReportQuestion,
  ReportSection,
  RiskLevel,
  Severity,
} from './report.types.ts';
