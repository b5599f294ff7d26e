import { memo } from 'react';
import type { LocalSurvey } from '../../data/index.ts';
import { formatDay, percent } from '../format.ts';
import type { SurveyProgress } from '../hooks/use-survey-progress.ts';
import { Link } from '../router.tsx';
import { SurveyStatusPill } from './status-pill.tsx';

interface SurveyRowProps {
  survey: LocalSurvey;
  progress: SurveyProgress | undefined;
  /** Target of the row: the runner for inspectors, the detail screen for managers. */
  to: string;
}

function isOverdue(dueDate: string | null, status: LocalSurvey['status']): boolean {
  if (!dueDate || status === 'submitted' || status === 'reviewed') {
    return false;
  }

  return dueDate < new Date().toISOString().slice(0, 10);
}

function ProgressSummary({ progress }: { progress: SurveyProgress | undefined }) {
  if (!progress || progress.visible === null) {
    return <span className="muted">Checklist not downloaded yet</span>;
  }

  const { answered, visible } = progress;
  return (
    <span className="survey-row__progress">
      <span className="meter" aria-hidden="true">
        <span className="meter__fill" style={{ width: `${percent(answered, visible)}%` }} />
      </span>
      <span data-testid="survey-progress">
        {answered} / {visible} answered
      </span>
    </span>
  );
}

/** Renders a survey in a list: facility, checklist, status, due date, progress and sync markers. */
export const SurveyRow = memo(function SurveyRow({ survey, progress, to }: SurveyRowProps) {
  const submitted = survey.status === 'submitted' || survey.status === 'reviewed';
  const submitQueued = !submitted && (progress?.submitQueued || Boolean(survey.submitQueuedAt));

  return (
    <li>
      <Link to={to} className="card survey-row" data-testid="survey-row" data-survey-id={survey.id}>
        <span className="survey-row__top">
          <strong className="survey-row__title">{survey.facility.name}</strong>
          <SurveyStatusPill status={survey.status} />
        </span>
        <span className="survey-row__meta">{survey.template.title}</span>
        {survey.dueDate ? (
          <span
            className={`survey-row__meta${isOverdue(survey.dueDate, survey.status) ? ' overdue' : ''}`}
          >
            Due {formatDay(survey.dueDate)}
          </span>
        ) : null}
        <ProgressSummary progress={progress} />
        <span className="survey-row__markers">
          {progress?.waitingToSync ? (
            <span className="marker marker--waiting" data-testid="marker-waiting">
              Waiting to sync
            </span>
          ) : null}
          {submitQueued ? (
            <span className="marker marker--queued" data-testid="marker-submit-queued">
              Submit queued
            </span>
          ) : null}
        </span>
      </Link>
    </li>
  );
});
