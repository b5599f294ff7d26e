import { useState, type FormEvent } from 'react';
import { signIn } from '../../data/index.ts';
import { errorMessage, homePathFor } from '../format.ts';
import { resetRefresh } from '../hooks/use-refresh.ts';
import { Link, navigate } from '../router.tsx';

interface SignInScreenProps {
  /** Filled in when the saved session ended and the same person signs in again. */
  email?: string;
  /** Shown above the form, for example why the saved session could not be restored. */
  notice?: string | null;
  /** Target of a "Keep working offline" link, offered while the person is still known on the device. */
  backPath?: string;
}

/** Renders the sign-in form. After sign-in it opens the first screen of the person's role. */
export function SignInScreen({
  email: initialEmail = '',
  notice = null,
  backPath,
}: SignInScreenProps) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }

    setBusy(true);
    setError(null);
    try {
      const user = await signIn(email.trim(), password);
      resetRefresh();
      navigate(homePathFor(user.role), { replace: true });
    } catch (reason) {
      setError(errorMessage(reason));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form className="sign-in__card" onSubmit={(event) => void submit(event)} noValidate>
        <h1 className="sign-in__brand">Avior</h1>
        <p className="muted">Field inspections, online or offline.</p>
        {notice ? <p className="notice notice--warning">{notice}</p> : null}
        <label className="field">
          <span className="field__label">Email</span>
          <input
            className="input"
            type="email"
            name="email"
            autoComplete="username"
            inputMode="email"
            data-testid="login-email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
          />
        </label>
        <label className="field">
          <span className="field__label">Password</span>
          <input
            className="input"
            type="password"
            name="password"
            autoComplete="current-password"
            data-testid="login-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        </label>
        {error ? (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="button button--primary button--block"
          data-testid="login-submit"
          disabled={busy}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {backPath ? (
          <Link to={backPath} className="button button--ghost button--block">
            Keep working offline
          </Link>
        ) : null}
      </form>
    </main>
  );
}
