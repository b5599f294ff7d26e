import { useState } from 'react';
import { resolveConflict } from '../../../data/index.ts';
import { errorMessage, formatDateTime } from '../../format.ts';
import type { ConflictItem } from '../../hooks/use-conflicts.ts';

/** Renders a conflict: the value the server kept, the one it overwrote, and buttons to choose. */
export function ConflictRow({ item }: { item: ConflictItem }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { conflict } = item;

  const resolve = async (choose: 'winning' | 'losing') => {
    setBusy(true);
    setError(null);
    try {
      await resolveConflict(conflict.id, choose);
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card conflict-row" data-testid="conflict-row" data-conflict-id={conflict.id}>
      <p className="conflict-row__title">{item.questionLabel}</p>
      <p className="muted">
        {item.facilityName} · {formatDateTime(conflict.createdAt)}
      </p>
      <dl className="conflict-row__values">
        <div>
          <dt>Current value</dt>
          <dd data-testid="conflict-winning">{item.winningText}</dd>
        </div>
        <div>
          <dt>Overwritten value, from {item.losingDevice}</dt>
          <dd data-testid="conflict-losing">{item.losingText}</dd>
        </div>
      </dl>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="button button--secondary"
          data-testid="resolve-winning"
          disabled={busy}
          onClick={() => void resolve('winning')}
        >
          Keep current
        </button>
        <button
          type="button"
          className="button button--secondary"
          data-testid="resolve-losing"
          disabled={busy}
          onClick={() => void resolve('losing')}
        >
          Use overwritten value
        </button>
      </div>
    </li>
  );
}
