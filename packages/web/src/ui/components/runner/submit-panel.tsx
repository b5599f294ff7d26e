import type { SubmissionState } from './submission-state.ts';

interface SubmitPanelProps {
  submission: SubmissionState;
  /** Required questions shown and still blank. */
  missing: number;
  busy: boolean;
  error: string | null;
  readOnly: boolean;
  onSubmit: () => void;
}

/** Renders the submit button with the reason of a rejected submit, or the submission state. */
export function SubmitPanel({
  submission,
  missing,
  busy,
  error,
  readOnly,
  onSubmit,
}: SubmitPanelProps) {
  if (submission.submitted) {
    return (
      <div className="submit-panel submit-panel--done">
        <p className="submit-panel__state">{submission.label}</p>
        {submission.error ? (
          <p className="field-error">The last attempt to send it failed: {submission.error}</p>
        ) : null}
      </div>
    );
  }

  return (
    <div className="submit-panel">
      <p className="muted">
        {missing > 0
          ? `${missing} required ${missing === 1 ? 'question is' : 'questions are'} not answered yet.`
          : 'All required questions are answered.'}
      </p>
      {submission.error ? (
        <p className="form-error">The server rejected the last submission: {submission.error}</p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert" data-testid="submit-error">
          {error}
        </p>
      ) : null}
      <button
        type="button"
        className="button button--primary button--block"
        data-testid="submit-survey"
        disabled={busy || readOnly}
        onClick={onSubmit}
      >
        {busy ? 'Submitting…' : 'Submit survey'}
      </button>
    </div>
  );
}
