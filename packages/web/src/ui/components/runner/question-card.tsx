import { isAnswered, type AnswerValue, type Question } from '@avior/contract';
import { memo, useCallback, useState, type ComponentType } from 'react';
import type { AnswerActions } from './answer-actions.ts';
import { ChoiceField } from './choice-field.tsx';
import { DateField } from './date-field.tsx';
import type { FieldProps } from './field-props.ts';
import { NoteField } from './note-field.tsx';
import { NumberField } from './number-field.tsx';
import { PhotoField } from './photo-field.tsx';
import { QuestionFlags, type QuestionFlag } from './question-flags.tsx';
import { RatingField } from './rating-field.tsx';
import { TextField } from './text-field.tsx';
import { YesNoNaField } from './yes-no-na-field.tsx';

export interface QuestionCardProps {
  surveyId: string;
  question: Question;
  /** The stored answer; null when unanswered. */
  value: AnswerValue | null;
  note: string | null;
  flags: readonly QuestionFlag[];
  readOnly: boolean;
  /** Marks the question a failed submit pointed to. */
  highlighted: boolean;
  actions: AnswerActions;
}

const FIELDS: Readonly<Record<Exclude<Question['type'], 'photo'>, ComponentType<FieldProps>>> = {
  yes_no_na: YesNoNaField,
  single_choice: ChoiceField,
  multiple_choice: ChoiceField,
  text: TextField,
  number: NumberField,
  date: DateField,
  rating: RatingField,
};

// Types answered by a tap, where a separate button is the only way to clear the answer.
const CLEARABLE_TYPES: ReadonlySet<Question['type']> = new Set([
  'yes_no_na',
  'single_choice',
  'rating',
]);

/**
 * React hook: the answer to show. A tap shows at once, before the device database confirms the
 * write; the stored value takes over when it arrives, or when the write fails.
 */
function useShownAnswer(stored: AnswerValue | null) {
  const [optimistic, setOptimistic] = useState<{ value: AnswerValue | null } | null>(null);
  const [lastStored, setLastStored] = useState(stored);
  if (!sameAnswer(lastStored, stored)) {
    setLastStored(stored);
    setOptimistic(null);
  }

  return [optimistic ? optimistic.value : stored, setOptimistic] as const;
}

/** Renders one question: label, required marker, answer input, live flags and note. */
export const QuestionCard = memo(function QuestionCard(props: QuestionCardProps) {
  const { surveyId, question, value, note, flags, readOnly, highlighted, actions } = props;
  const [shown, setOptimistic] = useShownAnswer(value);
  const answered = isAnswered(shown);
  const labelId = `q-${question.id}-label`;
  const helpId = question.help ? `q-${question.id}-help` : undefined;

  const answer = useCallback(
    (next: AnswerValue | null) => {
      setOptimistic({ value: next });
      actions.answer(question.id, next).catch(() => setOptimistic(null));
    },
    [actions, question.id, setOptimistic],
  );

  const fieldProps: FieldProps = {
    question,
    value: shown,
    readOnly,
    labelId,
    describedBy: helpId,
    onAnswer: answer,
  };
  const Field = question.type === 'photo' ? null : FIELDS[question.type];
  const classes = [
    'question',
    highlighted ? 'question--highlighted' : '',
    answered ? 'question--answered' : '',
  ];

  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid="question"
      data-question-id={question.id}
      data-type={question.type}
      data-answered={answered}
    >
      <div className="question__head">
        <span className="question__label" id={labelId}>
          {question.label}
        </span>
        <RequiredMarker required={question.required} answered={answered} />
      </div>
      {question.help ? (
        <p className="question__help" id={helpId}>
          {question.help}
        </p>
      ) : null}
      {Field ? (
        <Field {...fieldProps} />
      ) : (
        <PhotoField {...fieldProps} surveyId={surveyId} actions={actions} />
      )}
      <QuestionFlags flags={flags} />
      <div className="question__foot">
        <NoteField
          questionId={question.id}
          questionLabelId={labelId}
          note={note}
          readOnly={readOnly}
          onNote={actions.note}
        />
        {answered && !readOnly && CLEARABLE_TYPES.has(question.type) ? (
          <button
            type="button"
            className="link-button"
            data-testid="answer-clear"
            aria-describedby={labelId}
            onClick={() => answer(null)}
          >
            Clear answer
          </button>
        ) : null}
      </div>
    </div>
  );
}, areCardPropsEqual);

function RequiredMarker({ required, answered }: { required: boolean; answered: boolean }) {
  if (!required) {
    return null;
  }

  if (answered) {
    return <span className="required">Required</span>;
  }

  return (
    <span className="required required--missing" data-testid="required-missing">
      Required<span className="visually-hidden">, not answered yet</span>
    </span>
  );
}

/** Compares answers by content: a database read returns new arrays for the same value. */
export function sameAnswer(a: AnswerValue | null, b: AnswerValue | null): boolean {
  if (a === b) {
    return true;
  }

  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
    return false;
  }

  return a.every((item, index) => item === b[index]);
}

function sameFlags(a: readonly QuestionFlag[], b: readonly QuestionFlag[]): boolean {
  if (a === b) {
    return true;
  }

  return (
    a.length === b.length &&
    a.every((flag, i) => flag.severity === b[i]?.severity && flag.message === b[i]?.message)
  );
}

// Every answer write produces new answer and flag objects for the whole survey. Comparing them by
// content lets only the cards whose answer, note or flags changed render again.
function areCardPropsEqual(previous: QuestionCardProps, next: QuestionCardProps): boolean {
  return (
    previous.question === next.question &&
    previous.surveyId === next.surveyId &&
    previous.note === next.note &&
    previous.readOnly === next.readOnly &&
    previous.highlighted === next.highlighted &&
    previous.actions === next.actions &&
    sameAnswer(previous.value, next.value) &&
    sameFlags(previous.flags, next.flags)
  );
}
