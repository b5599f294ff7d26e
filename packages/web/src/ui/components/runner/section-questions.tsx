import type { AnswerValue, SurveyFlag } from '@avior/contract';
import { memo, startTransition, useEffect, useState } from 'react';
import type { SectionSummary } from '../../hooks/use-runner-model.ts';
import type { AnswerActions } from './answer-actions.ts';
import { QuestionCard } from './question-card.tsx';
import type { QuestionFlag } from './question-flags.tsx';

interface SectionQuestionsProps {
  surveyId: string;
  section: SectionSummary;
  values: ReadonlyMap<string, AnswerValue>;
  notes: ReadonlyMap<string, string>;
  flagsByQuestion: ReadonlyMap<string, readonly SurveyFlag[]>;
  readOnly: boolean;
  highlightedId: string | null;
  actions: AnswerActions;
}

const NO_FLAGS: readonly QuestionFlag[] = [];

// A new section paints this many cards first and the rest right after, so opening a section of
// over 100 questions shows its top at once instead of after every card is built.
const FIRST_PAINT_CARDS = 20;

/** React hook: how many cards of a section to render now; all of them one frame later. */
function useProgressiveCount(sectionId: string, total: number): number {
  const [shown, setShown] = useState({ sectionId, count: FIRST_PAINT_CARDS });
  const current = shown.sectionId === sectionId ? shown : { sectionId, count: FIRST_PAINT_CARDS };
  if (current !== shown) {
    setShown(current);
  }

  useEffect(() => {
    if (current.count >= total) {
      return;
    }

    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        startTransition(() => setShown({ sectionId, count: Number.POSITIVE_INFINITY }));
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [sectionId, current.count, total]);

  return current.count;
}

/** Renders the visible questions of a section. Cards are memoized, so a new answer re-renders one. */
export const SectionQuestions = memo(function SectionQuestions(props: SectionQuestionsProps) {
  const { surveyId, section, values, notes, flagsByQuestion, readOnly, highlightedId, actions } =
    props;
  const progressive = useProgressiveCount(section.id, section.questions.length);
  const highlightIndex = section.questions.findIndex((question) => question.id === highlightedId);
  const count = Math.max(progressive, highlightIndex + 1);

  return (
    <div className="questions">
      {section.questions.slice(0, count).map((question) => (
        <QuestionCard
          key={question.id}
          surveyId={surveyId}
          question={question}
          value={values.get(question.id) ?? null}
          note={notes.get(question.id) ?? null}
          flags={flagsByQuestion.get(question.id) ?? NO_FLAGS}
          readOnly={readOnly}
          highlighted={question.id === highlightedId}
          actions={actions}
        />
      ))}
    </div>
  );
});
