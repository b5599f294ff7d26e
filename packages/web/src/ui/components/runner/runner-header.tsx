import type { LocalSurvey } from '../../../data/index.ts';
import { formatDay } from '../../format.ts';
import { ProgressBar } from '../progress-bar.tsx';
import { SurveyStatusPill } from '../status-pill.tsx';
import { SaveState } from './save-state.tsx';
import type { SaveTracker } from './save-tracker.ts';
import type { SubmissionState } from './submission-state.ts';

interface RunnerHeaderProps {
  survey: LocalSurvey;
  answered: number;
  applicable: number;
  submission: SubmissionState;
  tracker: SaveTracker;
}

/** Renders the runner's title, progress, save indicator and submission state. */
export function RunnerHeader({
  survey,
  answered,
  applicable,
  submission,
  tracker,
}: RunnerHeaderProps) {
  return (
    <header className="runner-header">
      <div className="runner-header__titles">
        <h1 className="runner-header__title">{survey.facility.name}</h1>
        <p className="muted">
          {survey.template.title}
          {survey.dueDate ? ` · due ${formatDay(survey.dueDate)}` : ''}
        </p>
      </div>
      <div className="runner-header__status">
        <SurveyStatusPill status={survey.status} />
        {submission.label ? (
          <span className="survey-state" data-testid="survey-state">
            {submission.label}
          </span>
        ) : null}
      </div>
      <div className="runner-header__progress">
        <ProgressBar value={answered} max={applicable} label="Questions answered" />
        <span className="runner-header__count" data-testid="runner-progress">
          {answered} of {applicable} answered
        </span>
        <SaveState tracker={tracker} />
      </div>
    </header>
  );
}
