import { defineConsumerGroup, type AnyConsumerGroup } from '../../platform/bus/index.ts';
import type { ReportWorker } from './report.worker.ts';

/** Consumer groups of the reports module: request a report on submission, then generate it. */
export function createReportConsumers(worker: ReportWorker): AnyConsumerGroup[] {
  return [
    defineConsumerGroup({
      name: 'reports.request',
      topic: 'survey.submitted',
      handle: (event) => worker.requestOnSubmit(event),
    }),
    defineConsumerGroup({
      name: 'reports.generate',
      topic: 'report.generate',
      handle: (event, ctx) => worker.generate(event, ctx),
    }),
  ];
}
