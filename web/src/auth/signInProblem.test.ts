import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../api/client';
import { endedDetail, signInProblem, waitText } from './signInProblem';

const T0 = Date.UTC(2026, 10, 27, 14, 0, 0);

describe('a failed sign-in, said for a person', () => {
  it('is a wrong name or password, and points at the password', () => {
    expect(signInProblem(new ApiRequestError('invalid name or password', 401, 'invalid_credentials'), T0)).toEqual({
      text: 'Wrong name or password. Check both (the password is case-sensitive) and try again.',
      field: 'password',
      retryAt: undefined,
    });
  });

  it('says how long to wait after too many tries, from Retry-After or else the message', () => {
    const limited = new ApiRequestError('too many failed sign-ins for this name from your address; try again in 42 s', 429, 'too_many_attempts', 30);
    expect(signInProblem(limited, T0)).toMatchObject({ text: 'Too many failed sign-ins for this name from your address.', retryAt: T0 + 30_000 });
    expect(signInProblem(new ApiRequestError(limited.message, 429, 'too_many_attempts'), T0).retryAt).toBe(T0 + 42_000);
  });

  it('says the server could not be reached', () => {
    expect(signInProblem(new ApiRequestError('Could not reach', 0, 'network_error'), T0).text).toMatch(/^Could not reach the Flowlens server/);
  });

  it("passes on the server's reason for a refused request", () => {
    expect(signInProblem(new ApiRequestError('name: name must not be empty', 400, 'invalid_body'), T0).text).toBe('The server refused the sign-in: name: name must not be empty');
    expect(signInProblem(new ApiRequestError('internal error', 500, 'internal'), T0).text).toBe('Signing in failed: internal error');
  });
});

describe('the wait after too many tries', () => {
  it('counts down in whole seconds, then says to go ahead', () => {
    expect(waitText(T0 + 30_000, T0)).toBe('Try again in 30 s.');
    expect(waitText(T0 + 30_000, T0 + 29_100)).toBe('Try again in 1 s.');
    expect(waitText(T0 + 30_000, T0 + 30_000)).toBe('You can try again now.');
  });
});

describe('why a sign-in ended', () => {
  it("is the server's message as a sentence", () => {
    expect(endedDetail('your session has expired: sign in again')).toBe('Your session has expired: sign in again.');
    expect(endedDetail('the session cookie is not valid (altered, or signed with another key): sign in again')).toBe('The session cookie is not valid (altered, or signed with another key): sign in again.');
  });

  it('is plain words when the request carried no sign-in at all', () => {
    expect(endedDetail('sign in first (POST /api/v1/session with {"name", "password"}) or send Authorization: Bearer <API token>')).toBe('This browser is no longer signed in.');
  });
});
