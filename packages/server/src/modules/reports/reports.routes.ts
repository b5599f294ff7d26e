import { ErrorBody, IdParams, ReportView, SurveyReportParams } from '@avior/contract';
import type { App } from '../../gateway/app-types.ts';
import { authenticate } from '../../gateway/auth.ts';
import type { ReportService } from './report.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function registerReportsRoutes(app: App, reports: ReportService): void {
  app.get(
    '/v1/surveys/:surveyId/report',
    {
      onRequest: authenticate,
      schema: {
        tags: ['reports'],
        summary: "A survey's PDF report and a signed download link while it is ready",
        params: SurveyReportParams,
        response: { 200: ReportView, ...errors },
      },
    },
    async (request) => reports.getSurveyReport(request.principal, request.params.surveyId),
  );

  app.post(
    '/v1/surveys/:surveyId/report',
    {
      onRequest: authenticate,
      schema: {
        tags: ['reports'],
        summary: "Generate a submitted survey's report again (managers and admins)",
        params: SurveyReportParams,
        response: { 202: ReportView, 409: ErrorBody, ...errors },
      },
    },
    async (request, reply) => {
      const report = await reports.regenerate(request.principal, request.params.surveyId);
      return reply.status(202).send(report);
    },
  );

  app.get(
    '/v1/reports/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['reports'],
        summary: 'A PDF report and a signed download link while it is ready',
        params: IdParams,
        response: { 200: ReportView, ...errors },
      },
    },
    async (request) => reports.getReport(request.principal, request.params.id),
  );
}
