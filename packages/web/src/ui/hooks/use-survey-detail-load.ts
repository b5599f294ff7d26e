import { useCallback, useEffect, useState } from 'react';
import { loadSurveyDetail } from '../../data/index.ts';
import { errorMessage } from '../format.ts';

export interface DetailLoad {
  loading: boolean;
  /** Reason the download failed, in words. */
  error: string | null;
  retry: () => void;
}

/** React hook: downloads a survey in full when `enabled`, with its state and a retry. */
export function useSurveyDetailLoad(surveyId: string, enabled: boolean): DetailLoad {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({
    loading: false,
    error: null,
  });

  useEffect(() => {
    if (!enabled) {
      return;
    }

    let current = true;
    setState({ loading: true, error: null });
    loadSurveyDetail(surveyId)
      .then(() => current && setState({ loading: false, error: null }))
      .catch(
        (error: unknown) => current && setState({ loading: false, error: errorMessage(error) }),
      );
    return () => {
      current = false;
    };
  }, [surveyId, enabled, attempt]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return { ...state, retry };
}
