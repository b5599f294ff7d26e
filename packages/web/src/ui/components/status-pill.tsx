import type { RiskLevel, SurveyStatus } from '@avior/contract';
import { RISK_LABELS, SURVEY_STATUS_LABELS } from '../format.ts';

/** Renders a survey's status as a coloured label. */
export function SurveyStatusPill({ status }: { status: SurveyStatus }) {
  return (
    <span className={`pill pill--status-${status}`} data-status={status}>
      {SURVEY_STATUS_LABELS[status]}
    </span>
  );
}

/** Renders a risk level as a coloured label. */
export function RiskPill({ level }: { level: RiskLevel }) {
  return (
    <span className={`pill pill--severity-${level}`} data-risk={level}>
      {RISK_LABELS[level]}
    </span>
  );
}
