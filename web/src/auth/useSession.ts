import { useQuery } from '@tanstack/react-query';
import { isRetryable } from '../api/client';
import type { RoleName, Session } from '../api/contracts';
import { fetchSessionState, sessionQueryKey } from './api';
import { permit, type Permit } from './permissions';

/**
 * Who is signed in, asked once when the app opens; then changed only by signing in or out, or by a request
 * finding the sign-in gone (web/src/auth/AuthGate.tsx). Network trouble is retried; a 401 is an answer.
 */
export function useSessionState() {
  return useQuery({
    queryKey: sessionQueryKey(),
    queryFn: ({ signal }) => fetchSessionState(signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (failures, error) => isRetryable(error) && failures < 3,
  });
}

/** The signed-in person, read from the session entry (never fetched here); undefined outside the sign-in. */
export function useCurrentSession(): Session | undefined {
  const { data } = useQuery({ queryKey: sessionQueryKey(), queryFn: ({ signal }) => fetchSessionState(signal), staleTime: Infinity, enabled: false });
  return data?.session ?? undefined;
}

/** Whether the signed-in person may do `what`, which needs `needs`; the reason to show when not. */
export function usePermit(needs: RoleName, what: string): Permit {
  return permit(useCurrentSession(), needs, what);
}
