import { useCallback, useEffect, useState } from 'react';
import { restoreSession } from '../../data/index.ts';
import { errorMessage } from '../format.ts';

// Restored once per page load; StrictMode mounts effects twice in development.
let restoring: Promise<unknown> | null = null;

/**
 * React hook: restores the saved session when the app starts. Returns the error, in words, when
 * that failed, and a function to try again.
 */
export function useSessionRestore(): { error: string | null; retry: () => void } {
  const [error, setError] = useState<string | null>(null);

  const restore = useCallback((force: boolean) => {
    if (restoring && !force) {
      return;
    }

    setError(null);
    restoring = restoreSession().catch((reason: unknown) => setError(errorMessage(reason)));
  }, []);

  useEffect(() => restore(false), [restore]);

  return { error, retry: () => restore(true) };
}
