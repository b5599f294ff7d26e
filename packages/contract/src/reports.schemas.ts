import { Type, type Static } from 'typebox';
import { Uuid } from './common.schemas.ts';

export const ReportStatus = Type.Enum(['pending', 'ready', 'failed']);
export type ReportStatus = Static<typeof ReportStatus>;

export const SurveyReportParams = Type.Object({ surveyId: Uuid });

export const ReportDownload = Type.Object({
  url: Type.String({ description: 'Signed link to the PDF' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const ReportView = Type.Object({
  id: Uuid,
  surveyId: Uuid,
  status: ReportStatus,
  pageCount: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Pages of the last generated PDF; kept while a new one is pending',
  }),
  byteSize: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Size of the last generated PDF in bytes',
  }),
  generatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the last PDF was generated',
  }),
  error: Type.Union([Type.String(), Type.Null()], {
    description: 'Why the last generation failed, while the status is failed',
  }),
  download: Type.Union([ReportDownload, Type.Null()], {
    description: 'Present while the report is ready',
  }),
});
export type ReportView = Static<typeof ReportView>;
