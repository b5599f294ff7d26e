import type { TemplateView } from '@avior/contract';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { ActionError, db, submitSurvey, useSession, type LocalSurvey } from '../../data/index.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { createAnswerActions } from '../components/runner/answer-actions.ts';
import { RunnerHeader } from '../components/runner/runner-header.tsx';
import { SaveTracker } from '../components/runner/save-tracker.ts';
import { SectionNav } from '../components/runner/section-nav.tsx';
import { SectionPager } from '../components/runner/section-pager.tsx';
import { SectionQuestions } from '../components/runner/section-questions.tsx';
import { describeSubmission } from '../components/runner/submission-state.ts';
import { SubmitPanel } from '../components/runner/submit-panel.tsx';
import { Skeleton } from '../components/skeleton.tsx';
import { errorMessage } from '../format.ts';
import { useRunnerModel, type RunnerModel } from '../hooks/use-runner-model.ts';
import { useSurveyDetailLoad } from '../hooks/use-survey-detail-load.ts';

/** Renders the survey runner at /surveys/:id from the survey and checklist on the device. */
export function SurveyRunnerScreen({ surveyId }: { surveyId: string }) {
  const survey = useLiveQuery(async () => (await db.surveys.get(surveyId)) ?? null, [surveyId]);
  const templateId = survey?.template.id;
  const template = useLiveQuery(
    async () => (templateId ? ((await db.templates.get(templateId)) ?? null) : undefined),
    [templateId],
  );
  // A full download brings the survey and its checklist when either is missing on the device.
  const detail = useSurveyDetailLoad(surveyId, survey === null || template === null);

  if (survey === null || template === null) {
    if (detail.error) {
      return (
        <ErrorMessage onRetry={detail.retry}>
          This survey is not complete on this device and could not be downloaded: {detail.error}
        </ErrorMessage>
      );
    }

    return <Skeleton rows={6} label="Downloading survey" />;
  }

  if (!survey || !template) {
    return <Skeleton rows={6} label="Loading survey" />;
  }

  return <Runner key={survey.id} survey={survey} template={template} />;
}

interface Highlight {
  questionId: string;
  /** Changes on every jump, so jumping to the same question again scrolls again. */
  token: number;
}

function Runner({ survey, template }: { survey: LocalSurvey; template: TemplateView }) {
  const surveyId = survey.id;
  const answers = useLiveQuery(
    () => db.answers.where('surveyId').equals(surveyId).toArray(),
    [surveyId],
  );
  const submissionRow = useLiveQuery(
    async () => (await db.submissions.get(surveyId)) ?? null,
    [surveyId],
  );
  const model = useRunnerModel(template.definition, answers);

  if (!model || submissionRow === undefined) {
    return <Skeleton rows={6} label="Loading answers" />;
  }

  return <RunnerBody survey={survey} model={model} submissionRow={submissionRow} />;
}

interface RunnerBodyProps {
  survey: LocalSurvey;
  model: RunnerModel;
  submissionRow: Parameters<typeof describeSubmission>[1];
}

function RunnerBody({ survey, model, submissionRow }: RunnerBodyProps) {
  const { user } = useSession();
  const tracker = useMemo(() => new SaveTracker(), []);
  const actions = useMemo(() => createAnswerActions(survey.id, tracker), [survey.id, tracker]);
  const [sectionId, setSectionId] = useState(model.sections[0]?.id ?? '');
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  // A rejected submit names one missing question; once the count of missing ones changes, that
  // message may be out of date, so it goes.
  const missingCount = model.evaluation.missingRequired.length;
  useEffect(() => setSubmitError(null), [missingCount]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const movedBySection = useRef(false);

  const index = Math.max(
    0,
    model.sections.findIndex((section) => section.id === sectionId),
  );
  const current = model.sections[index];
  const submission = describeSubmission(survey, submissionRow);
  const readOnly = submission.submitted || user?.role === 'viewer';

  const selectSection = useCallback((id: string) => {
    movedBySection.current = true;
    setSectionId(id);
  }, []);

  useSectionFocus(current?.id, headingRef, movedBySection);
  useHighlightScroll(highlight, current?.id);

  const jumpTo = (questionId: string) => {
    const target = model.sectionOf.get(questionId);
    if (target) {
      setSectionId(target);
      setHighlight({ questionId, token: Date.now() });
    }
  };

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(null);
    try {
      await tracker.whenIdle();
      await submitSurvey(survey.id);
      setHighlight(null);
    } catch (error) {
      setSubmitError(errorMessage(error));
      const missingId = error instanceof ActionError ? error.field : undefined;
      const fallbackId = model.evaluation.missingRequired[0]?.questionId;
      const target = missingId ?? (error instanceof ActionError ? fallbackId : undefined);
      if (target) {
        jumpTo(target);
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (!current) {
    return <EmptyState title="This checklist has no sections" />;
  }

  return (
    <section className="runner" data-testid="runner" data-survey-id={survey.id}>
      <RunnerHeader
        survey={survey}
        answered={model.evaluation.answeredCount}
        applicable={model.evaluation.applicableCount}
        submission={submission}
        tracker={tracker}
      />
      <div className="runner__body">
        <SectionNav sections={model.sections} currentId={current.id} onSelect={selectSection} />
        <div className="runner__content">
          <h2
            className="runner__section-title"
            ref={headingRef}
            tabIndex={-1}
            data-testid="section-title"
            data-section-id={current.id}
          >
            <span className="muted">
              Section {index + 1} of {model.sections.length}
            </span>{' '}
            {current.title}
          </h2>
          {current.questions.length === 0 ? (
            <EmptyState title="No questions apply here">
              Your earlier answers hide every question of this section.
            </EmptyState>
          ) : null}
          <SectionQuestions
            surveyId={survey.id}
            section={current}
            values={model.values}
            notes={model.notes}
            flagsByQuestion={model.flagsByQuestion}
            readOnly={readOnly}
            highlightedId={highlight?.questionId ?? null}
            actions={actions}
          />
          <SectionPager
            previous={model.sections[index - 1]}
            next={model.sections[index + 1]}
            onSelect={selectSection}
          />
          <SubmitPanel
            submission={submission}
            missing={model.evaluation.missingRequired.length}
            busy={submitting}
            error={submitError}
            readOnly={readOnly}
            onSubmit={() => void submit()}
          />
        </div>
      </div>
    </section>
  );
}

/** Brings the new section's heading into view and focus after the person changes section. */
function useSectionFocus(
  sectionId: string | undefined,
  headingRef: RefObject<HTMLHeadingElement | null>,
  movedBySection: RefObject<boolean>,
): void {
  useEffect(() => {
    if (!movedBySection.current) {
      return;
    }

    movedBySection.current = false;
    headingRef.current?.scrollIntoView({ block: 'start' });
    headingRef.current?.focus({ preventScroll: true });
  }, [sectionId, headingRef, movedBySection]);
}

/** Scrolls to the question a failed submit pointed to and focuses its first control. */
function useHighlightScroll(highlight: Highlight | null, sectionId: string | undefined): void {
  useEffect(() => {
    if (!highlight) {
      return;
    }

    const selector = `[data-question-id="${CSS.escape(highlight.questionId)}"]`;
    const card = document.querySelector<HTMLElement>(selector);
    card?.scrollIntoView({ block: 'center' });
    card?.querySelector<HTMLElement>('input, textarea, button')?.focus({ preventScroll: true });
  }, [highlight, sectionId]);
}
