import { useEffect, useRef, useState } from 'react';
import type { DebouncedCallback } from '../../hooks/use-debounced-callback.ts';

/**
 * React hook: the text of an input that saves after a pause. While the input has focus the text
 * belongs to the person typing; a stored value written elsewhere (sync, another tab) is taken
 * over only while it is not focused, so a late echo of an earlier save never overwrites typing.
 */
export function useDraft<A extends unknown[]>(stored: string, save: DebouncedCallback<A>) {
  const [draft, setDraft] = useState(stored);
  const focused = useRef(false);

  useEffect(() => {
    if (!focused.current && !save.isPending()) {
      setDraft(stored);
    }
  }, [stored, save]);

  const onFocus = () => {
    focused.current = true;
  };

  /** Saves what waits; with `keepDraft` an unsaved draft (an invalid entry) stays visible. */
  const onBlur = (keepDraft = false) => {
    focused.current = false;
    if (save.isPending()) {
      save.flush();
    } else if (!keepDraft) {
      setDraft(stored);
    }
  };

  return { draft, setDraft, onFocus, onBlur };
}
