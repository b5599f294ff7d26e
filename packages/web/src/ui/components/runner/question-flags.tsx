import type { Severity } from '@avior/contract';

/** The part of a flag that a question card shows. */
export interface QuestionFlag {
  readonly severity: Severity;
  readonly message: string;
}

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

/** Renders the flags the current answer raises, coloured by severity. */
export function QuestionFlags({ flags }: { flags: readonly QuestionFlag[] }) {
  return (
    <div className="flags" aria-live="polite">
      {flags.map((flag) => (
        <p
          key={`${flag.severity}:${flag.message}`}
          className={`flag flag--${flag.severity}`}
          data-testid="question-flag"
          data-severity={flag.severity}
        >
          <span className="flag__severity">{SEVERITY_LABELS[flag.severity]}</span>
          <span className="flag__message">{flag.message}</span>
        </p>
      ))}
    </div>
  );
}
