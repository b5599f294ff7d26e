import { useEffect, useRef, useState } from 'react';
import { ActionError, signOut } from '../../data/index.ts';
import { errorMessage } from '../format.ts';
import { resetRefresh } from '../hooks/use-refresh.ts';
import { navigate } from '../router.tsx';

interface Rejection {
  message: string;
  /** True when work waits to sync, so signing out anyway is offered. */
  canForce: boolean;
}

/** Signs out; when work still waits to sync, explains it and offers to sign out anyway. */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const [rejection, setRejection] = useState<Rejection | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (rejection) {
      panelRef.current?.focus();
    }
  }, [rejection]);

  const run = async (force: boolean) => {
    setBusy(true);
    try {
      await signOut(force ? { force: true } : undefined);
      setRejection(null);
      resetRefresh();
      navigate('/', { replace: true });
    } catch (error) {
      const workWaiting = error instanceof ActionError && error.code === 'work_waiting';
      setRejection({ message: errorMessage(error), canForce: workWaiting });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="button button--ghost button--small"
        data-testid="sign-out"
        disabled={busy}
        onClick={() => void run(false)}
      >
        Sign out
      </button>
      {rejection ? (
        <div
          className="sign-out-panel"
          role="alertdialog"
          aria-labelledby="sign-out-title"
          aria-describedby="sign-out-message"
          tabIndex={-1}
          ref={panelRef}
        >
          <h2 id="sign-out-title" className="sign-out-panel__title">
            Sign out?
          </h2>
          <p id="sign-out-message" data-testid="sign-out-error">
            {rejection.message}
          </p>
          {rejection.canForce ? (
            <p className="muted">
              Work that has not reached the server may be lost if you sign out anyway.
            </p>
          ) : null}
          <div className="button-row">
            {rejection.canForce ? (
              <button
                type="button"
                className="button button--danger"
                data-testid="sign-out-force"
                disabled={busy}
                onClick={() => void run(true)}
              >
                Sign out anyway
              </button>
            ) : null}
            <button
              type="button"
              className="button button--secondary"
              data-testid="sign-out-cancel"
              onClick={() => setRejection(null)}
            >
              Stay signed in
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
