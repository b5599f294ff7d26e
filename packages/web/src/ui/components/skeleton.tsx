/** Renders grey placeholder rows while data loads. */
export function Skeleton({ rows = 4, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton" data-testid="skeleton" role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="skeleton__row">
          <span className="skeleton__line skeleton__line--wide" />
          <span className="skeleton__line" />
        </div>
      ))}
    </div>
  );
}
