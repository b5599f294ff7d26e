import { percent } from '../format.ts';

interface ProgressBarProps {
  value: number;
  max: number;
  label: string;
  testId?: string;
}

/** Renders a labelled progress bar. Screen readers read the label with the value. */
export function ProgressBar({ value, max, label, testId }: ProgressBarProps) {
  const safeMax = Math.max(max, 1);
  return (
    <div className="progress">
      <progress
        className="progress__bar"
        data-testid={testId}
        value={Math.min(value, safeMax)}
        max={safeMax}
        aria-label={label}
      />
      <span className="progress__text">{percent(value, max)}%</span>
    </div>
  );
}
