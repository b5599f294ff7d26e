import { YES_NO_NA_VALUES, type YesNoNa } from '@avior/contract';
import type { FieldProps } from './field-props.ts';

const LABELS: Readonly<Record<YesNoNa, string>> = { yes: 'Yes', no: 'No', na: 'N/A' };

/** Renders Yes, No and N/A as three large buttons. The question card offers clearing. */
export function YesNoNaField({ value, readOnly, labelId, describedBy, onAnswer }: FieldProps) {
  return (
    <div
      className="segmented"
      role="group"
      aria-labelledby={labelId}
      aria-describedby={describedBy}
    >
      {YES_NO_NA_VALUES.map((option) => {
        const selected = value === option;
        return (
          <button
            key={option}
            type="button"
            className={`segmented__button segmented__button--${option}`}
            data-testid={`answer-${option}`}
            aria-pressed={selected}
            disabled={readOnly}
            onClick={() => onAnswer(option)}
          >
            {LABELS[option]}
          </button>
        );
      })}
    </div>
  );
}
