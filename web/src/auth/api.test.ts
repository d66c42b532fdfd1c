import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchSessionState } from './api';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const unauthenticated = (message: string) => answer(401, { error: { status: 401, code: 'unauthenticated', message } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('who is signed in', () => {
  it('is the person the server names', async () => {
    vi.stubGlobal('fetch', async () => answer(200, { name: 'olga', role: 'operator', via: 'session', expires_at: 1 }));
    expect(await fetchSessionState()).toEqual({ session: { name: 'olga', role: 'operator', via: 'session', expires_at: 1 } });
  });

  it('is nobody on a 401, with the reason when a session was sent that no longer counts', async () => {
    vi.stubGlobal('fetch', async () => unauthenticated('sign in first (POST /api/v1/session with {"name", "password"}) or send Authorization: Bearer <API token>'));
    expect(await fetchSessionState()).toEqual({ session: null, ended: undefined });

    vi.stubGlobal('fetch', async () => unauthenticated('your session has expired: sign in again'));
    expect(await fetchSessionState()).toEqual({ session: null, ended: 'your session has expired: sign in again' });
  });

  it('fails, to be retried, when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });
    await expect(fetchSessionState()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
