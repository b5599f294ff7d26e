import type { AnswerValue, Question } from '@avior/contract';

/** What every answer input receives from its question card. */
export interface FieldProps {
  question: Question;
  /** The current answer; null when unanswered. */
  value: AnswerValue | null;
  readOnly: boolean;
  /** Id of the element holding the question's label. */
  labelId: string;
  /** Ids of the help text, when there is some. */
  describedBy: string | undefined;
  onAnswer: (value: AnswerValue | null) => void;
}
