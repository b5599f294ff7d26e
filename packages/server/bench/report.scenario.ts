import { readFile } from 'node:fs/promises';
import { locateFontFile } from '../src/modules/reports/pdf/report.fonts.ts';
import { renderReportPdf } from '../src/modules/reports/pdf/report.pdf.ts';
import type { RenderedReport } from '../src/modules/reports/pdf/report.types.ts';
import { ReportService } from '../src/modules/reports/report.service.ts';
import { ReportsRepository } from '../src/modules/reports/reports.repository.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { BenchBudget } from './bench.options.ts';
import type { ComparisonRow, ScenarioResult } from './bench.results.ts';
import { startBenchAvior } from './bench.server.ts';
import { median, roundTenth, timeInterleaved } from './bench.stats.ts';
import { prepareReportFixture, type ReportFixture } from './report.fixture.ts';
import { renderPlainPdf } from './report.baseline.ts';

const PHOTO_WORKERS = '2';
// The setup uploads while two threads process photos on a 2-core machine. That can delay the
// event loop past the default 1 s threshold and get requests shed with 503, so shedding is off
// (0). Only the setup goes through HTTP, and the timed generation does not.
const LOAD_SHEDDING_OFF = '0';

/**
 * Times the report generation of the demo survey as the report worker runs it: build the
 * document from the database and blob store, then render the PDF, without storing it. The
 * baseline is pdfkit writing as many plain pages with the same photos.
 */
export async function runReportScenario(budget: BenchBudget): Promise<ScenarioResult> {
  const server = await startBenchAvior({
    IMAGE_WORKERS: PHOTO_WORKERS,
    MAX_EVENT_LOOP_DELAY_MS: LOAD_SHEDDING_OFF,
  });
  try {
    console.log('report: uploading the bundled photos, answering and submitting the demo survey');
    const fixture = await prepareReportFixture(server);
    console.log(
      `report: document build, PDF rendering and plain pdfkit, ${budget.timedRuns} ` +
        'interleaved rounds after a warm-up',
    );
    const timing = await timeReport(server.running.platform, fixture, budget.timedRuns);
    return summarise(fixture, timing, server.engine);
  } finally {
    await server.stop();
  }
}

interface ReportTiming {
  readonly buildMs: readonly number[];
  readonly renderMs: readonly number[];
  readonly plainMs: readonly number[];
  readonly report: RenderedReport;
  readonly plain: RenderedReport;
}

/**
 * Times the two steps of the report worker, building the document (database and blob reads)
 * and rendering it, and the plain pdfkit baseline on the same document, in interleaved rounds.
 */
async function timeReport(
  platform: Platform,
  fixture: ReportFixture,
  rounds: number,
): Promise<ReportTiming> {
  const service = createService(platform);
  const build = () => service.buildDocument(fixture.orgId, fixture.surveyId, new Date());
  const document = await build();
  let report = await renderReportPdf(document);
  const font = await readFile(locateFontFile('latin', 'regular'));
  let plain = await renderPlainPdf(document, report.pageCount, font);

  const times = await timeInterleaved(rounds, {
    build,
    render: async () => (report = await renderReportPdf(document)),
    plain: async () => (plain = await renderPlainPdf(document, report.pageCount, font)),
  });
  return { buildMs: times.build, renderMs: times.render, plainMs: times.plain, report, plain };
}

function createService(platform: Platform): ReportService {
  return new ReportService({
    repository: new ReportsRepository(platform.db),
    blobs: platform.blobs,
    signDownload: (key, fileName) => platform.signUrl({ operation: 'get', key, fileName }),
    onCommitted: () => platform.notifyCommitted(),
    logger: platform.logger,
  });
}

function summarise(fixture: ReportFixture, timing: ReportTiming, engine: string): ScenarioResult {
  const { buildMs, renderMs, plainMs, report, plain } = timing;
  const totalMs = buildMs.map((ms, round) => roundTenth(ms + (renderMs[round] ?? 0)));
  const row = (measure: string, unit: string, avior: number, baseline: number | null) => ({
    scenario: 'report' as const,
    measure,
    unit,
    avior,
    baseline,
  });
  const rows: ComparisonRow[] = [
    row(
      'PDF rendering: renderReportPdf vs plain pdfkit',
      'ms median',
      median(renderMs),
      median(plainMs),
    ),
    row('document build: database and blob reads', 'ms median', median(buildMs), null),
    row('generation: build and render', 'ms median', median(totalMs), null),
    row('pages', 'pages', report.pageCount, plain.pageCount),
    row(
      'PDF size',
      'KiB',
      roundTenth(report.pdf.length / 1024),
      roundTenth(plain.pdf.length / 1024),
    ),
  ];
  const failures =
    fixture.photosProcessed === fixture.photosUploaded
      ? []
      : [`report: ${fixture.photosProcessed} of ${fixture.photosUploaded} photos were processed`];

  return {
    scenario: 'report',
    rows,
    failures,
    raw: {
      engine,
      fixture,
      buildMs,
      renderMs,
      totalMs,
      plainMs,
      pages: report.pageCount,
      bytes: report.pdf.length,
      plainPages: plain.pageCount,
      plainBytes: plain.pdf.length,
    },
  };
}
