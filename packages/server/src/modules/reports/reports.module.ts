import type { Platform } from '../../platform/platform.ts';
import type { AviorModule } from '../module.ts';
import { renderReportPdf } from './pdf/report.pdf.ts';
import { ReportService } from './report.service.ts';
import { ReportWorker } from './report.worker.ts';
import { createReportConsumers } from './reports.consumers.ts';
import { ReportsRepository } from './reports.repository.ts';
import { registerReportsRoutes } from './reports.routes.ts';

/**
 * Wires the reports module: the report routes and the consumer groups that request a report
 * when a survey is submitted and render it to PDF.
 */
export function createReportsModule(platform: Platform): AviorModule {
  const repository = new ReportsRepository(platform.db);
  const service = new ReportService({
    repository,
    blobs: platform.blobs,
    signDownload: (key, fileName) => platform.signUrl({ operation: 'get', key, fileName }),
    onCommitted: () => platform.notifyCommitted(),
    logger: platform.logger,
  });
  const worker = new ReportWorker({
    repository,
    service,
    blobs: platform.blobs,
    render: (document) => renderReportPdf(document),
    maxAttempts: platform.config.busMaxAttempts,
    onCommitted: () => platform.notifyCommitted(),
  });

  return {
    name: 'reports',
    routes: (app) => registerReportsRoutes(app, service),
    consumers: createReportConsumers(worker),
  };
}
