import type { SectionSummary } from '../../hooks/use-runner-model.ts';

interface SectionPagerProps {
  previous: SectionSummary | undefined;
  next: SectionSummary | undefined;
  onSelect: (sectionId: string) => void;
}

/** Renders the previous and next section buttons at the end of a section. */
export function SectionPager({ previous, next, onSelect }: SectionPagerProps) {
  return (
    <div className="pager">
      <button
        type="button"
        className="button button--secondary"
        data-testid="prev-section"
        disabled={!previous}
        onClick={() => previous && onSelect(previous.id)}
      >
        <span aria-hidden="true">‹ </span>
        {previous ? `Previous: ${previous.title}` : 'Previous'}
      </button>
      <button
        type="button"
        className="button button--primary"
        data-testid="next-section"
        disabled={!next}
        onClick={() => next && onSelect(next.id)}
      >
        {next ? `Next: ${next.title}` : 'Last section'}
        <span aria-hidden="true"> ›</span>
      </button>
    </div>
  );
}
