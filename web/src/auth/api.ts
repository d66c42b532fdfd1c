import { z } from 'zod';
import { ApiRequestError, requestJson } from '../api/client';
import { sessionSchema, type Session } from '../api/contracts';
import { saysOnlyNotSignedIn } from './signInProblem';

/**
 * Who is signed in in this browser, as the app knows it: someone, or nobody — with the server's reason when a
 * sign-in just ended (expired, the account removed), so the sign-in page can say so.
 */
export type SessionState = { session: Session; ended?: undefined } | { session: null; ended: string | undefined };

/** The one cache entry the whole app reads the signed-in person from. */
export function sessionQueryKey() {
  return ['session'] as const;
}

/** Every cached answer but the session: what the previous person saw, dropped before the next one signs in. */
export function isSessionKey(key: readonly unknown[]): boolean {
  return key[0] === sessionQueryKey()[0];
}

/**
 * `GET /api/v1/session`: who is signed in, or nobody (a 401 is that answer here, not a failure) — and why not,
 * when the browser still sent a session that no longer counts (expired, signed out, the account removed).
 */
export async function fetchSessionState(signal?: AbortSignal): Promise<SessionState> {
  try {
    return { session: await requestJson('GET', '/api/v1/session', sessionSchema, { signal, reportSignedOut: false }) };
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return { session: null, ended: saysOnlyNotSignedIn(error.message) ? undefined : error.message };
    throw error;
  }
}

/** `POST /api/v1/session`: sign in; the server sets the session cookie (HttpOnly: this code never sees it). */
export function postSession(name: string, password: string): Promise<Session> {
  return requestJson('POST', '/api/v1/session', sessionSchema, { body: { name, password }, reportSignedOut: false });
}

/** `DELETE /api/v1/session`: sign out; the server clears the cookie (204, no body). */
export async function deleteSession(): Promise<void> {
  await requestJson('DELETE', '/api/v1/session', z.undefined(), { reportSignedOut: false });
}
