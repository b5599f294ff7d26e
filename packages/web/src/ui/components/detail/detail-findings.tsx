import { SEVERITIES, type FlagView, type Question, type Severity } from '@avior/contract';

interface DetailFindingsProps {
  findings: readonly FlagView[] | undefined;
  question: (questionId: string) => Question | undefined;
}

function isSeverity(value: string): value is Severity {
  return SEVERITIES.some((severity) => severity === value);
}

/** Renders the findings the server computed for a survey, most severe first. */
export function DetailFindings({ findings, question }: DetailFindingsProps) {
  const sorted = (findings ?? []).slice().sort((a, b) => rank(b.severity) - rank(a.severity));

  return (
    <section className="panel" aria-labelledby="detail-findings-title">
      <h2 className="panel__title" id="detail-findings-title">
        Findings {findings ? <span className="muted">({findings.length})</span> : null}
      </h2>
      {!findings ? (
        <p className="muted">Findings appear once the survey is downloaded in full.</p>
      ) : null}
      {findings?.length === 0 ? <p className="muted">No findings.</p> : null}
      <ul className="list">
        {sorted.map((finding, index) => {
          const severity = isSeverity(finding.severity) ? finding.severity : 'low';
          const label = finding.questionId ? question(finding.questionId)?.label : undefined;
          return (
            <li
              key={`${finding.code}:${finding.questionId ?? ''}:${finding.mediaId ?? ''}:${index}`}
              className={`finding flag flag--${severity}`}
              data-testid="detail-finding"
              data-severity={finding.severity}
            >
              <span className="flag__severity">{finding.severity}</span>
              <span className="finding__text">
                <span className="flag__message">{finding.message}</span>
                {label ? <span className="muted">{label}</span> : null}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function rank(severity: string): number {
  return isSeverity(severity) ? SEVERITIES.indexOf(severity) : -1;
}
