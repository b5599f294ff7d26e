import { useLiveQuery } from 'dexie-react-hooks';
import { memo, useMemo, useState } from 'react';
import { db, type LocalSurvey } from '../../data/index.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { RiskPill, SurveyStatusPill } from '../components/status-pill.tsx';
import { SURVEY_STATUS_LABELS, formatDay } from '../format.ts';
import { runRefresh, useRefreshState } from '../hooks/use-refresh.ts';
import { Link } from '../router.tsx';

const STATUS_FILTERS = ['all', 'assigned', 'in_progress', 'submitted', 'reviewed'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

function isStatusFilter(value: string | null): value is StatusFilter {
  return STATUS_FILTERS.some((filter) => filter === value);
}

/** Reads the filter from the address, so returning from a survey keeps the chosen status. */
function readFilter(): StatusFilter {
  const value = new URLSearchParams(window.location.search).get('status');
  return isStatusFilter(value) ? value : 'all';
}

function writeFilter(filter: StatusFilter): void {
  const search = filter === 'all' ? '' : `?status=${filter}`;
  window.history.replaceState(null, '', `${window.location.pathname}${search}`);
}

// Newest activity first: submitted surveys by submission time, others by creation time.
function compareByActivity(a: LocalSurvey, b: LocalSurvey): number {
  return (b.submittedAt ?? b.createdAt).localeCompare(a.submittedAt ?? a.createdAt);
}

/** Renders the manager's list of the organisation's surveys, filtered by status. */
export function ManageSurveysScreen() {
  const [filter, setFilter] = useState<StatusFilter>(readFilter);
  const refresh = useRefreshState();
  const surveys = useLiveQuery(
    () =>
      filter === 'all' ? db.surveys.toArray() : db.surveys.where('status').equals(filter).toArray(),
    [filter],
  );
  const sorted = useMemo(() => surveys?.slice().sort(compareByActivity), [surveys]);
  const loading = !sorted || (sorted.length === 0 && refresh.running);

  const choose = (value: string) => {
    const next = isStatusFilter(value) ? value : 'all';
    writeFilter(next);
    setFilter(next);
  };

  return (
    <section className="screen" aria-labelledby="manage-title">
      <div className="screen__head">
        <h1 id="manage-title">Manage surveys</h1>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={refresh.running}
          onClick={() => void runRefresh()}
        >
          {refresh.running ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <label className="field field--inline">
        <span className="field__label">Status</span>
        <select
          className="input"
          data-testid="manage-status-filter"
          value={filter}
          onChange={(event) => choose(event.target.value)}
        >
          {STATUS_FILTERS.map((value) => (
            <option key={value} value={value}>
              {value === 'all' ? 'All statuses' : SURVEY_STATUS_LABELS[value]}
            </option>
          ))}
        </select>
      </label>
      {loading ? <Skeleton rows={6} label="Loading surveys" /> : null}
      {!loading && sorted.length === 0 ? <EmptyState title="No surveys with this status" /> : null}
      {!loading && sorted.length > 0 ? (
        <ul className="list" data-testid="manage-survey-list">
          {sorted.map((survey) => (
            <ManageSurveyRow key={survey.id} survey={survey} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const ManageSurveyRow = memo(function ManageSurveyRow({ survey }: { survey: LocalSurvey }) {
  return (
    <li>
      <Link
        to={`/manage/surveys/${survey.id}`}
        className="card survey-row"
        data-testid="manage-survey-row"
        data-survey-id={survey.id}
      >
        <span className="survey-row__top">
          <strong className="survey-row__title">{survey.facility.name}</strong>
          <SurveyStatusPill status={survey.status} />
        </span>
        <span className="survey-row__meta">
          {survey.inspector.name} · {survey.template.title}
        </span>
        <span className="survey-row__meta">
          {survey.submittedAt
            ? `Submitted ${formatDay(survey.submittedAt)}`
            : survey.dueDate
              ? `Due ${formatDay(survey.dueDate)}`
              : 'No due date'}
        </span>
        <span className="survey-row__markers">
          {survey.score !== null ? (
            <span className="score" data-testid="survey-score">
              Score {survey.score}
            </span>
          ) : null}
          {survey.riskLevel ? <RiskPill level={survey.riskLevel} /> : null}
        </span>
      </Link>
    </li>
  );
});
