import { ratingMax } from '@avior/contract';
import type { FieldProps } from './field-props.ts';

/** Renders buttons from 1 to the question's maximum. The question card offers clearing. */
export function RatingField({
  question,
  value,
  readOnly,
  labelId,
  describedBy,
  onAnswer,
}: FieldProps) {
  const max = ratingMax(question);
  const scale = Array.from({ length: max }, (_, index) => index + 1);

  return (
    <div className="rating" role="group" aria-labelledby={labelId} aria-describedby={describedBy}>
      {scale.map((rating) => {
        const selected = value === rating;
        return (
          <button
            key={rating}
            type="button"
            className="rating__button"
            data-testid={`rating-${rating}`}
            aria-pressed={selected}
            aria-label={`${rating} of ${max}`}
            disabled={readOnly}
            onClick={() => onAnswer(rating)}
          >
            {rating}
          </button>
        );
      })}
    </div>
  );
}
