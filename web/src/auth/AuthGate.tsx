import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { onSignedOut } from '../api/client';
import { LoadFailed } from '../ui/LoadFailed';
import { sessionQueryKey, type SessionState } from './api';
import { saysOnlyNotSignedIn } from './signInProblem';
import { SignInPage } from './SignInPage';
import { useSessionState } from './useSession';

/**
 * The app for someone signed in, else the sign-in page — the wall (`?wall=1`) too. Any request or socket that
 * finds the sign-in gone (a 401: expired, the account removed, signed out in another tab) brings the sign-in page
 * back with the server's reason; the link stays, so signing in again returns to the same screen.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useSessionState();

  useEffect(
    () =>
      onSignedOut((message) => {
        const current = client.getQueryData<SessionState>(sessionQueryKey());
        if (current === undefined) return;
        // Several requests may be refused at once; the first to answer removes the cookie (so the others carried
        // none). The reason kept is the one saying why the sign-in ended. Signed out on purpose: no reason at all.
        const better = current.session === null && current.ended !== undefined && saysOnlyNotSignedIn(current.ended) && !saysOnlyNotSignedIn(message);
        if (current.session !== null || better) client.setQueryData<SessionState>(sessionQueryKey(), { session: null, ended: message });
      }),
    [client],
  );

  if (query.data?.session) return children;
  if (query.data !== undefined) return <SignInPage ended={query.data.ended} />;
  if (query.isError) {
    return (
      <main className="sign-in-page">
        <LoadFailed what="who is signed in" error={query.error} onRetry={() => void query.refetch()} className="panel state-message state-message-error sign-in-card" />
      </main>
    );
  }
  return (
    <main className="sign-in-page">
      <p className="state-message" role="status">
        {query.failureCount > 0 ? `Still trying to reach Flowlens: ${query.failureReason?.message ?? 'no answer yet'}` : 'Loading Flowlens…'}
      </p>
    </main>
  );
}
