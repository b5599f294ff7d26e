import { validateAnswer } from '@avior/contract';
import { useState } from 'react';
import { capitalise } from '../../format.ts';
import type { FieldProps } from './field-props.ts';

/** Renders a date picker. The answer is the calendar day as YYYY-MM-DD. */
export function DateField({
  question,
  value,
  readOnly,
  labelId,
  describedBy,
  onAnswer,
}: FieldProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = `${labelId}-error`;

  const change = (text: string) => {
    if (text === '') {
      setProblem(null);
      onAnswer(null);
      return;
    }

    const check = validateAnswer(question, text);
    setProblem(check.ok ? null : check.message);
    if (check.ok) {
      onAnswer(check.value);
    }
  };

  return (
    <>
      <input
        className="input input--date"
        type="date"
        data-testid="answer-input"
        aria-labelledby={labelId}
        aria-describedby={[describedBy, problem ? errorId : undefined].filter(Boolean).join(' ')}
        aria-invalid={problem ? true : undefined}
        value={typeof value === 'string' ? value : ''}
        readOnly={readOnly}
        onChange={(event) => change(event.target.value)}
      />
      {problem ? (
        <p className="field-error" id={errorId} data-testid="answer-error">
          {capitalise(problem)}
        </p>
      ) : null}
    </>
  );
}
