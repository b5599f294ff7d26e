import { useState } from 'react';
import { requestReport, type LocalReport } from '../../../data/index.ts';
import { errorMessage, formatBytes, formatDateTime } from '../../format.ts';

interface DetailReportProps {
  surveyId: string;
  report: LocalReport | null;
  /** Reports exist only for submitted and reviewed surveys. */
  submitted: boolean;
  /** False for viewers, who may download but not request reports. */
  canRequest: boolean;
}

function describeReadyReport(report: LocalReport): string {
  const parts = [
    report.pageCount ? `${report.pageCount} pages` : null,
    report.byteSize ? formatBytes(report.byteSize) : null,
  ];
  return parts.filter(Boolean).join(', ');
}

/** Renders the PDF report's status, its download link when ready, and a button to request one. */
export function DetailReport({ surveyId, report, submitted, canRequest }: DetailReportProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [requested, setRequested] = useState(false);

  const request = async () => {
    setBusy(true);
    setError(null);
    try {
      await requestReport(surveyId);
      setRequested(true);
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="detail-report-title">
      <h2 className="panel__title" id="detail-report-title">
        Report
      </h2>
      <p data-testid="report-status" data-status={report?.status ?? 'none'}>
        {!report && submitted ? 'No report has been generated yet.' : null}
        {!report && !submitted ? 'A report is generated once the survey is submitted.' : null}
        {report?.status === 'pending' ? 'The report is being generated.' : null}
        {report?.status === 'failed'
          ? `The report failed: ${report.error ?? 'no reason given'}`
          : null}
        {report?.status === 'ready' ? `Generated ${formatDateTime(report.generatedAt)}` : null}
      </p>
      {report?.download ? (
        <a
          className="button button--primary"
          data-testid="report-link"
          href={report.download.url}
          target="_blank"
          rel="noreferrer"
        >
          Download PDF {describeReadyReport(report) ? `(${describeReadyReport(report)})` : ''}
        </a>
      ) : null}
      {requested && report?.status !== 'ready' ? (
        <p className="muted" role="status">
          Requested. The report appears here when it is ready.
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {canRequest && submitted ? (
        <button
          type="button"
          className="button button--secondary"
          data-testid="request-report"
          disabled={busy}
          onClick={() => void request()}
        >
          {report ? 'Generate a new report' : 'Generate report'}
        </button>
      ) : null}
    </section>
  );
}
