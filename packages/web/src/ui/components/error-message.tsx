import type { ReactNode } from 'react';

interface ErrorMessageProps {
  children: ReactNode;
  testId?: string;
  onRetry?: () => void;
}

/** Renders an error in words, announced by screen readers, with an optional retry button. */
export function ErrorMessage({ children, testId, onRetry }: ErrorMessageProps) {
  return (
    <div className="notice notice--error" role="alert" data-testid={testId}>
      <p className="notice__text">{children}</p>
      {onRetry ? (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
