import { memo } from 'react';
import type { SectionSummary } from '../../hooks/use-runner-model.ts';

interface SectionNavProps {
  sections: readonly SectionSummary[];
  currentId: string;
  onSelect: (sectionId: string) => void;
}

/** Renders the sections with answered counts: a scrolling strip on phones, a sidebar on desktop. */
export const SectionNav = memo(function SectionNav({
  sections,
  currentId,
  onSelect,
}: SectionNavProps) {
  return (
    <nav className="section-nav" aria-label="Sections">
      <ol className="section-nav__list">
        {sections.map((section, index) => {
          const total = section.questions.length;
          const complete = total > 0 && section.answered === total;
          return (
            <li key={section.id}>
              <button
                type="button"
                className={`section-link${complete ? ' section-link--complete' : ''}`}
                data-testid="section-link"
                data-section-id={section.id}
                aria-current={section.id === currentId ? 'step' : undefined}
                onClick={() => onSelect(section.id)}
              >
                <span className="section-link__title">
                  {index + 1}. {section.title}
                </span>{' '}
                <span className="section-link__count" data-testid="section-count">
                  {section.answered}/{total}
                </span>
                {section.flagged > 0 ? (
                  <span className="section-link__flags" aria-label={`${section.flagged} flagged`}>
                    ⚑ {section.flagged}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
});
