import { useEffect, useMemo, useRef } from 'react';

export interface DebouncedCallback<A extends unknown[]> {
  (...args: A): void;
  /** Runs the waiting call now, if there is one. */
  flush(): void;
  /** Drops the waiting call, if there is one. */
  cancel(): void;
  /** Returns true while a call waits for its delay. */
  isPending(): boolean;
}

/**
 * React hook: a stable function that runs `callback` once calls stop for `delayMs`. A call still
 * waiting when the component unmounts runs then, so typed text is never lost on navigation.
 */
export function useDebouncedCallback<A extends unknown[]>(
  callback: (...args: A) => void,
  delayMs: number,
): DebouncedCallback<A> {
  const callbackRef = useRef(callback);
  const timerRef = useRef<number | null>(null);
  const argsRef = useRef<A | null>(null);

  useEffect(() => {
    callbackRef.current = callback;
  }, [callback]);

  const debounced = useMemo(() => {
    const flush = () => {
      if (timerRef.current !== null) {
        window.clearTimeout(timerRef.current);
        timerRef.current = null;
      }

      const args = argsRef.current;
      argsRef.current = null;
      if (args) {
        callbackRef.current(...args);
      }
    };

    const schedule = (...args: A) => {
      argsRef.current = args;
      if (timerRef.current !== null) {
        window.clearTimeout(timerRef.current);
      }

      timerRef.current = window.setTimeout(flush, delayMs);
    };

    const cancel = () => {
      if (timerRef.current !== null) {
        window.clearTimeout(timerRef.current);
        timerRef.current = null;
      }

      argsRef.current = null;
    };

    return Object.assign(schedule, { flush, cancel, isPending: () => argsRef.current !== null });
  }, [delayMs]);

  useEffect(() => debounced.flush, [debounced]);

  return debounced;
}
