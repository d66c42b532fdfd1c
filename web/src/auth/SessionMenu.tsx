import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Session } from '../api/contracts';
import { deleteSession, sessionQueryKey, type SessionState } from './api';
import './auth.css';

/** The header's "Signed in as olga · operator" and its Sign out, which ends the session on the server too. */
export function SessionMenu({ session }: { session: Session }) {
  const client = useQueryClient();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const signOut = async () => {
    setPending(true);
    setProblem(undefined);
    try {
      await deleteSession();
      client.setQueryData<SessionState>(sessionQueryKey(), { session: null, ended: undefined });
    } catch (error) {
      // Still signed in on the server: say so rather than pretend.
      setProblem(`Could not sign out: ${error instanceof Error ? error.message : String(error)}`);
      setPending(false);
    }
  };

  return (
    <div className="session-menu" data-testid="session-menu">
      <p className="session-user">
        <span className="session-label">Signed in as </span>
        <span data-testid="session-user">
          <strong>{session.name}</strong> · {session.role}
        </span>
      </p>
      <button type="button" className="link-button session-sign-out" onClick={() => void signOut()} disabled={pending}>
        Sign out
      </button>
      {problem !== undefined && (
        <p className="session-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
