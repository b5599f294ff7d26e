import type { FieldProps } from './field-props.ts';

/** Renders radio buttons for single_choice and checkboxes for multiple_choice questions. */
export function ChoiceField({
  question,
  value,
  readOnly,
  labelId,
  describedBy,
  onAnswer,
}: FieldProps) {
  const multiple = question.type === 'multiple_choice';
  const options = question.options ?? [];
  const chosen = Array.isArray(value) ? value : [value];
  const selected = new Set(chosen.filter((item) => typeof item === 'string'));

  const toggle = (optionValue: string, checked: boolean) => {
    if (!multiple) {
      onAnswer(optionValue);
      return;
    }

    const next = options
      .map((option) => option.value)
      .filter((candidate) => (candidate === optionValue ? checked : selected.has(candidate)));
    onAnswer(next.length > 0 ? next : null);
  };

  return (
    <fieldset className="choices" aria-labelledby={labelId} aria-describedby={describedBy}>
      {options.map((option) => (
        <label key={option.value} className="choice">
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={`choice-${question.id}`}
            value={option.value}
            data-testid={`choice-${option.value}`}
            checked={selected.has(option.value)}
            disabled={readOnly}
            onChange={(event) => toggle(option.value, event.target.checked)}
          />
          <span className="choice__label">{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
