import type { SurveyStatus } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { db, useSession, type LocalSurvey } from '../../data/index.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { SurveyRow } from '../components/survey-row.tsx';
import { usesManagerScreens } from '../format.ts';
import { runRefresh, useRefreshState } from '../hooks/use-refresh.ts';
import { useSurveyProgress } from '../hooks/use-survey-progress.ts';

const STATUS_ORDER: Readonly<Record<SurveyStatus, number>> = {
  in_progress: 0,
  assigned: 1,
  submitted: 2,
  reviewed: 3,
};

function compareSurveys(a: LocalSurvey, b: LocalSurvey): number {
  const byStatus = STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
  if (byStatus !== 0) {
    return byStatus;
  }

  // Surveys without a due date come last.
  return (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999');
}

function isOpen(survey: LocalSurvey): boolean {
  return survey.status === 'assigned' || survey.status === 'in_progress';
}

/** Renders the surveys on this device. Inspectors open theirs in the runner. */
export function SurveyListScreen() {
  const { user } = useSession();
  const refresh = useRefreshState();
  const surveys = useLiveQuery(() => db.surveys.toArray(), []);
  const sorted = useMemo(() => surveys?.slice().sort(compareSurveys), [surveys]);
  const progress = useSurveyProgress(sorted);
  const manager = user ? usesManagerScreens(user.role) : false;
  const linkFor = (id: string) => (manager ? `/manage/surveys/${id}` : `/surveys/${id}`);

  const loading = !sorted || (sorted.length === 0 && refresh.running);
  const open = sorted?.filter(isOpen) ?? [];
  const done = sorted?.filter((survey) => !isOpen(survey)) ?? [];

  return (
    <section className="screen" aria-labelledby="surveys-title">
      <div className="screen__head">
        <h1 id="surveys-title">{manager ? 'Surveys' : 'My surveys'}</h1>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={refresh.running}
          onClick={() => void runRefresh()}
        >
          {refresh.running ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {loading ? <Skeleton rows={5} label="Loading surveys" /> : null}
      {!loading && sorted.length === 0 ? (
        <EmptyState title="No surveys on this device">
          Surveys assigned to you appear here after the next sync.
        </EmptyState>
      ) : null}
      {open.length > 0 ? (
        <SurveyGroup title="To do" surveys={open} progress={progress} linkFor={linkFor} />
      ) : null}
      {done.length > 0 ? (
        <SurveyGroup title="Submitted" surveys={done} progress={progress} linkFor={linkFor} />
      ) : null}
    </section>
  );
}

interface SurveyGroupProps {
  title: string;
  surveys: readonly LocalSurvey[];
  progress: ReturnType<typeof useSurveyProgress>;
  linkFor: (id: string) => string;
}

function SurveyGroup({ title, surveys, progress, linkFor }: SurveyGroupProps) {
  return (
    <>
      <h2 className="group-title">
        {title} <span className="muted">({surveys.length})</span>
      </h2>
      <ul className="list" data-testid="survey-list">
        {surveys.map((survey) => (
          <SurveyRow
            key={survey.id}
            survey={survey}
            progress={progress?.get(survey.id)}
            to={linkFor(survey.id)}
          />
        ))}
      </ul>
    </>
  );
}
