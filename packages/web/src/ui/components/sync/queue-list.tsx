import type { QueueItem } from '../../hooks/use-queue-items.ts';

const STATUS_LABELS: Readonly<Record<string, string>> = {
  waiting: 'Waiting',
  compressing: 'Compressing',
  uploading: 'Uploading',
  failed: 'Failed',
  rejected: 'Rejected by the server',
};

interface QueueListProps {
  title: string;
  items: readonly QueueItem[];
  testId: string;
  emptyText: string;
}

/** Renders queued items with their status and last error. */
export function QueueList({ title, items, testId, emptyText }: QueueListProps) {
  return (
    <section className="panel" aria-label={title}>
      <h2 className="panel__title">{title}</h2>
      {items.length === 0 ? <p className="muted">{emptyText}</p> : null}
      <ul className="queue-list" data-testid={testId}>
        {items.map((item) => (
          <li
            key={item.key}
            className={`queue-item queue-item--${item.status}`}
            data-testid="queue-item"
            data-kind={item.kind}
            data-status={item.status}
          >
            <span className="queue-item__title">{item.title}</span>
            <span className="queue-item__detail">{item.detail}</span>
            <span className="queue-item__status">
              {STATUS_LABELS[item.status] ?? item.status}
              {item.attempts > 0 ? ` · ${item.attempts} attempts` : ''}
            </span>
            {item.error ? (
              <span className="queue-item__error" data-testid="queue-item-error">
                {item.error}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
