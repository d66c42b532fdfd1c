import { ApiRequestError } from '../api/client';

/** What went wrong with a sign-in, in words for the person; `retryAt` (epoch ms) when they must wait first. */
export type SignInProblem = { text: string; field: 'name' | 'password' | undefined; retryAt: number | undefined };

const UNREACHABLE = 'Could not reach the Flowlens server. Check that it is running and that your network is up, then sign in again.';

/** The sign-in's failure said for a person: a wrong password, too many tries (how long to wait), no server. */
export function signInProblem(error: unknown, now: number): SignInProblem {
  if (!(error instanceof ApiRequestError)) return { text: `Signing in failed: ${error instanceof Error ? error.message : String(error)}`, field: undefined, retryAt: undefined };
  if (error.status === 401) return { text: 'Wrong name or password. Check both (the password is case-sensitive) and try again.', field: 'password', retryAt: undefined };
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds ?? Number(/try again in (\d+) s/.exec(error.message)?.[1] ?? 60);
    return { text: 'Too many failed sign-ins for this name from your address.', field: undefined, retryAt: now + seconds * 1000 };
  }
  if (error.status === 0) return { text: UNREACHABLE, field: undefined, retryAt: undefined };
  if (error.status === 400) return { text: `The server refused the sign-in: ${error.message}`, field: undefined, retryAt: undefined };
  return { text: `Signing in failed: ${error.message}`, field: undefined, retryAt: undefined };
}

/** "try again in 37 s", counting down; "you can try again now" once the wait is over. */
export function waitText(retryAt: number, now: number): string {
  const seconds = Math.ceil((retryAt - now) / 1000);
  return seconds > 0 ? `Try again in ${seconds} s.` : 'You can try again now.';
}

/**
 * Whether a 401's message says only that the request carried no sign-in (the server's instructions for API
 * clients), rather than why a sign-in ended (expired, altered, the account removed).
 */
export function saysOnlyNotSignedIn(message: string): boolean {
  return message.includes('POST /api/v1/session') || message.trim() === '';
}

/**
 * Why a sign-in ended, from the server's 401 message ("your session has expired: sign in again"). A request that
 * carried no sign-in at all (the cookie gone) gets the server's instructions for API clients, not for people.
 */
export function endedDetail(message: string): string {
  if (saysOnlyNotSignedIn(message)) return 'This browser is no longer signed in.';
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;
}
