import { TEXT_ANSWER_MAX_LENGTH } from '@avior/contract';
import type { ChangeEvent } from 'react';
import { useDebouncedCallback } from '../../hooks/use-debounced-callback.ts';
import type { FieldProps } from './field-props.ts';
import { TYPING_DELAY_MS } from './typing-delay.ts';
import { useDraft } from './use-draft.ts';

/** Renders a text input that saves after a pause in typing, on leaving the field and on unmount. */
export function TextField({
  question,
  value,
  readOnly,
  labelId,
  describedBy,
  onAnswer,
}: FieldProps) {
  const save = useDebouncedCallback((text: string) => {
    onAnswer(text.trim() === '' ? null : text);
  }, TYPING_DELAY_MS);
  const { draft, setDraft, onFocus, onBlur } = useDraft(
    typeof value === 'string' ? value : '',
    save,
  );

  const change = (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setDraft(event.target.value);
    save(event.target.value);
  };

  const props = {
    className: 'input',
    'data-testid': 'answer-input',
    'aria-labelledby': labelId,
    'aria-describedby': describedBy,
    value: draft,
    readOnly,
    maxLength: TEXT_ANSWER_MAX_LENGTH,
    onFocus,
    onBlur: () => onBlur(),
    onChange: change,
  };

  return question.multiline ? <textarea {...props} rows={4} /> : <input {...props} type="text" />;
}
