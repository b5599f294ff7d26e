import type { ReactNode } from 'react';

/** Renders a short explanation where a list has nothing to show. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <p className="empty-state__title">{title}</p>
      {children ? <p className="muted">{children}</p> : null}
    </div>
  );
}
