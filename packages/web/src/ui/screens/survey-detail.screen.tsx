import { indexQuestions, type TemplateView } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useMemo } from 'react';
import { db, useSession, type LocalSurvey } from '../../data/index.ts';
import { DetailAnswers } from '../components/detail/detail-answers.tsx';
import { DetailFindings } from '../components/detail/detail-findings.tsx';
import { DetailPhotos } from '../components/detail/detail-photos.tsx';
import { DetailReport } from '../components/detail/detail-report.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { RiskPill, SurveyStatusPill } from '../components/status-pill.tsx';
import { canManage, formatDateTime, formatDay } from '../format.ts';
import { useSurveyDetailLoad } from '../hooks/use-survey-detail-load.ts';
import { Link } from '../router.tsx';

/** Renders a survey for managers and viewers at /manage/surveys/:id. */
export function SurveyDetailScreen({ surveyId }: { surveyId: string }) {
  const { user } = useSession();
  const detail = useSurveyDetailLoad(surveyId, true);
  const survey = useLiveQuery(async () => (await db.surveys.get(surveyId)) ?? null, [surveyId]);

  return (
    <section className="screen" data-testid="survey-detail" data-survey-id={surveyId}>
      <Link to="/manage" className="back-link">
        ‹ All surveys
      </Link>
      {detail.error ? (
        <ErrorMessage onRetry={detail.retry} testId="detail-error">
          {detail.error}
        </ErrorMessage>
      ) : null}
      {detail.loading && survey ? (
        <p className="muted" role="status">
          Updating from the server…
        </p>
      ) : null}
      {survey ? (
        <DetailBody survey={survey} canRequest={user ? canManage(user.role) : false} />
      ) : null}
      {!survey && !detail.error ? <Skeleton rows={6} label="Loading survey" /> : null}
    </section>
  );
}

function DetailHeader({ survey }: { survey: LocalSurvey }) {
  return (
    <header className="detail-header">
      <h1>{survey.facility.name}</h1>
      <p className="muted">
        {survey.template.title} (version {survey.template.version}) · {survey.inspector.name}
      </p>
      <div className="detail-header__facts">
        <SurveyStatusPill status={survey.status} />
        {survey.riskLevel ? <RiskPill level={survey.riskLevel} /> : null}
        {survey.score !== null ? <span className="score">Score {survey.score}</span> : null}
      </div>
      <p className="muted">
        {survey.dueDate ? `Due ${formatDay(survey.dueDate)}. ` : ''}
        {survey.submittedAt ? `Submitted ${formatDateTime(survey.submittedAt)}.` : 'Not submitted.'}
      </p>
      {survey.reviewNote ? <p className="note-text">Review note: {survey.reviewNote}</p> : null}
    </header>
  );
}

function DetailBody({ survey, canRequest }: { survey: LocalSurvey; canRequest: boolean }) {
  const template = useLiveQuery(
    async () => (await db.templates.get(survey.template.id)) ?? null,
    [survey.template.id],
  );
  const answers = useLiveQuery(
    () => db.answers.where('surveyId').equals(survey.id).toArray(),
    [survey.id],
  );
  const media = useLiveQuery(
    () => db.media.where('surveyId').equals(survey.id).toArray(),
    [survey.id],
  );
  const report = useLiveQuery(async () => (await db.reports.get(survey.id)) ?? null, [survey.id]);
  const question = useQuestionLookup(template);

  return (
    <>
      <DetailHeader survey={survey} />
      {report === undefined ? null : (
        <DetailReport
          surveyId={survey.id}
          report={report}
          submitted={survey.status === 'submitted' || survey.status === 'reviewed'}
          canRequest={canRequest}
        />
      )}
      <DetailFindings findings={survey.findings} question={question} />
      {media ? <DetailPhotos media={media} question={question} /> : null}
      {template && answers ? (
        <DetailAnswers definition={template.definition} answers={answers} />
      ) : null}
      {template === null ? (
        <p className="muted">
          The checklist of this survey is not on this device, so answers cannot be shown.
        </p>
      ) : null}
      {template === undefined || answers === undefined ? (
        <Skeleton rows={4} label="Loading answers" />
      ) : null}
    </>
  );
}

function useQuestionLookup(template: TemplateView | null | undefined) {
  const lookup = useMemo(() => (template ? indexQuestions(template.definition) : null), [template]);
  return useCallback((questionId: string) => lookup?.get(questionId), [lookup]);
}
