import { validateAnswer, type Question } from '@avior/contract';
import { useState, type ChangeEvent } from 'react';
import { capitalise } from '../../format.ts';
import { useDebouncedCallback } from '../../hooks/use-debounced-callback.ts';
import type { FieldProps } from './field-props.ts';
import { TYPING_DELAY_MS } from './typing-delay.ts';
import { useDraft } from './use-draft.ts';

function describeRange(min: number | undefined, max: number | undefined): string | null {
  if (min !== undefined && max !== undefined) {
    return `From ${min} to ${max}`;
  }

  if (min !== undefined) {
    return `At least ${min}`;
  }

  return max !== undefined ? `At most ${max}` : null;
}

function describeLimits(question: Question): string | null {
  const range = describeRange(question.min, question.max);
  const steps = question.step !== undefined ? `in steps of ${question.step}` : null;
  const parts = [range, steps].filter(Boolean);
  return parts.length > 0 ? capitalise(parts.join(', ')) : null;
}

interface NumberCheck {
  problem: string | null;
  value: number | null;
}

/** Checks the typed text: a message when it is not a valid answer, else the value to save. */
function checkNumber(question: Question, input: HTMLInputElement): NumberCheck {
  // A number input reports '' for text it cannot parse, such as "1e" or "-", and sets badInput.
  if (input.validity.badInput) {
    return { problem: 'Enter a number, for example 12 or 3.5', value: null };
  }

  if (input.value.trim() === '') {
    return { problem: null, value: null };
  }

  const check = validateAnswer(question, Number(input.value));
  if (!check.ok) {
    return { problem: capitalise(check.message), value: null };
  }

  return { problem: null, value: Number(input.value) };
}

/** Renders a number input with the question's limits, checked as typed and saved when valid. */
export function NumberField({
  question,
  value,
  readOnly,
  labelId,
  describedBy,
  onAnswer,
}: FieldProps) {
  const save = useDebouncedCallback((next: number | null) => onAnswer(next), TYPING_DELAY_MS);
  const stored = typeof value === 'number' ? String(value) : '';
  const { draft, setDraft, onFocus, onBlur } = useDraft(stored, save);
  const [problem, setProblem] = useState<string | null>(null);
  const limits = describeLimits(question);
  const limitsId = `${labelId}-limits`;
  const errorId = `${labelId}-error`;

  const change = (event: ChangeEvent<HTMLInputElement>) => {
    setDraft(event.target.value);
    const checked = checkNumber(question, event.target);
    setProblem(checked.problem);
    if (checked.problem) {
      save.cancel();
    } else {
      save(checked.value);
    }
  };

  const described = [describedBy, limits ? limitsId : null, problem ? errorId : null];
  return (
    <>
      <input
        className="input input--number"
        type="number"
        inputMode="decimal"
        data-testid="answer-input"
        aria-labelledby={labelId}
        aria-describedby={described.filter(Boolean).join(' ') || undefined}
        aria-invalid={problem ? true : undefined}
        min={question.min}
        max={question.max}
        step={question.step ?? 'any'}
        value={draft}
        readOnly={readOnly}
        onChange={change}
        onFocus={onFocus}
        onBlur={() => onBlur(problem !== null)}
      />
      {limits ? (
        <p className="field-hint" id={limitsId}>
          {limits}
        </p>
      ) : null}
      {problem ? (
        <p className="field-error" id={errorId} role="alert" data-testid="answer-error">
          {problem}
        </p>
      ) : null}
    </>
  );
}
