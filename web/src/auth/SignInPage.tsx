import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { isSessionKey, postSession, sessionQueryKey, type SessionState } from './api';
import { endedDetail, signInProblem, waitText, type SignInProblem } from './signInProblem';
import './auth.css';

/**
 * The sign-in form, shown in place of the whole app while nobody is signed in. The link stays as it was, so after
 * signing in the person lands on the screen they opened (an alert's link from a notification included). When a
 * sign-in has just ended it says so, with the server's reason.
 */
export function SignInPage({ ended }: { ended: string | undefined }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<SignInProblem | undefined>();
  const [pending, setPending] = useState(false);
  const now = useClock(problem?.retryAt);
  const nameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const waiting = problem?.retryAt !== undefined && problem.retryAt > now;

  useEffect(() => {
    // What the previous person saw is not kept for the next: every screen asks again after the sign-in.
    client.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
    document.title = 'Sign in · Flowlens';
  }, [client]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (name.trim() === '' || password === '') {
      const field = name.trim() === '' ? 'name' : 'password';
      setProblem({ text: field === 'name' ? 'Enter your name.' : 'Enter your password.', field, retryAt: undefined });
      (field === 'name' ? nameInput : passwordInput).current?.focus();
      return;
    }
    setPending(true);
    setProblem(undefined);
    try {
      const session = await postSession(name.trim(), password);
      client.setQueryData<SessionState>(sessionQueryKey(), { session });
    } catch (error) {
      const next = signInProblem(error, Date.now());
      setProblem(next);
      setPending(false);
      if (next.field === 'password') {
        setPassword('');
        passwordInput.current?.focus();
      }
    }
  };

  return (
    <main className="sign-in-page" data-testid="sign-in">
      <div className="sign-in-card">
        <p className="brand">
          Flowlens <span className="brand-tagline">retail integration flows</span>
        </p>
        <h1 className="sign-in-title">Sign in</h1>
        {ended !== undefined && (
          <div className="sign-in-ended" role="status" data-testid="session-ended">
            <p>
              <strong>Your session has ended — sign in again.</strong>
            </p>
            <p>{endedDetail(ended)}</p>
          </div>
        )}
        <form className="sign-in-form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={problem === undefined ? undefined : 'sign-in-error'}>
          <div className="sign-in-field">
            <label htmlFor="sign-in-name">Name</label>
            <input
              ref={nameInput}
              id="sign-in-name"
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={problem?.field === 'name' ? true : undefined}
              maxLength={64}
              autoFocus
            />
          </div>
          <div className="sign-in-field">
            <label htmlFor="sign-in-password">Password</label>
            <input
              ref={passwordInput}
              id="sign-in-password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={problem?.field === 'password' ? true : undefined}
              maxLength={1024}
            />
          </div>
          <p className="sign-in-error" id="sign-in-error" role="alert" data-testid="sign-in-error">
            {problem === undefined ? '' : `${problem.text}${problem.retryAt === undefined ? '' : ` ${waitText(problem.retryAt, now)}`}`}
          </p>
          <button type="submit" className="sign-in-button" disabled={pending || waiting}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="sign-in-help muted">Accounts and roles are set up by your Flowlens admin. Your sign-in lasts until you sign out or it expires.</p>
      </div>
    </main>
  );
}

/** Now, ticking every second until `until` has passed (a countdown), else still. */
function useClock(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (until === undefined) return undefined;
    const timer = window.setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= until) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return now;
}
