import { useState } from 'react';
import { useDebouncedCallback } from '../../hooks/use-debounced-callback.ts';
import { TYPING_DELAY_MS } from './typing-delay.ts';
import { useDraft } from './use-draft.ts';

interface NoteFieldProps {
  questionId: string;
  /** Id of the question's label, so assistive technology names the question with the toggle. */
  questionLabelId?: string;
  note: string | null;
  readOnly: boolean;
  onNote: (questionId: string, note: string | null) => Promise<void>;
}

const NOTE_MAX_LENGTH = 5000;

/** Renders a question's note behind a toggle and saves it after a pause in typing. */
export function NoteField({ questionId, questionLabelId, note, readOnly, onNote }: NoteFieldProps) {
  const [open, setOpen] = useState(Boolean(note));
  const save = useDebouncedCallback((text: string) => {
    // The save indicator reports a failed write.
    onNote(questionId, text.trim() === '' ? null : text).catch(() => undefined);
  }, TYPING_DELAY_MS);
  const { draft, setDraft, onFocus, onBlur } = useDraft(note ?? '', save);
  const inputId = `note-${questionId}`;
  let toggleLabel = note ? 'Show note' : 'Add note';
  if (open) {
    toggleLabel = 'Hide note';
  }

  if (readOnly) {
    return note ? <p className="note-text">Note: {note}</p> : null;
  }

  return (
    <div className="note">
      <button
        type="button"
        className="link-button"
        data-testid="note-toggle"
        aria-describedby={questionLabelId}
        aria-expanded={open}
        aria-controls={open ? inputId : undefined}
        onClick={() => setOpen((shown) => !shown)}
      >
        {toggleLabel}
      </button>
      {open ? (
        <label className="field note__field">
          <span className="visually-hidden">Note</span>
          <textarea
            id={inputId}
            className="input"
            data-testid="note-input"
            rows={3}
            maxLength={NOTE_MAX_LENGTH}
            placeholder="Add a note for this question"
            value={draft}
            onFocus={onFocus}
            onBlur={() => onBlur()}
            onChange={(event) => {
              setDraft(event.target.value);
              save(event.target.value);
            }}
          />
        </label>
      ) : null}
    </div>
  );
}
