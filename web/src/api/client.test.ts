import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchLineage } from '../features/lineage/api';
import { ApiRequestError, fetchThroughput, isRetryable, onSignedOut, postJson, requestJson } from './client';
import { z } from 'zod';

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the API client', () => {
  it('asks for the window and returns the parsed throughput', async () => {
    const fetchMock = vi.fn(async () =>
      answer(200, { window_seconds: 300, bucket_seconds: 1, from: 1000, to: 301_000, series: [] }),
    );
    vi.stubGlobal('fetch', fetchMock);

    const throughput = await fetchThroughput(300);

    expect(throughput.window_seconds).toBe(300);
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/throughput?window=300', expect.anything());
  });

  it('encodes the key it searches for', async () => {
    const fetchMock = vi.fn(async () => answer(200, { key: 'A&B', depth: 0, at: '2026-11-27T14:00:00.000Z', correlations: [], events: [], truncated: false, latest_only: false, graph: { nodes: [], edges: [] }, missing: [] }));
    vi.stubGlobal('fetch', fetchMock);

    await fetchLineage('A&B 1', 2);

    expect(fetchMock).toHaveBeenCalledWith('/api/v1/lineage?key=A%26B+1&depth=2', expect.anything());
  });

  it("throws the server's own message with its status and code", async () => {
    vi.stubGlobal('fetch', async () =>
      answer(404, { error: { status: 404, code: 'not_found', message: 'No events found for key SO-404' } }),
    );

    const error = await fetchLineage('SO-404', 2).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: 'No events found for key SO-404' });
  });

  it('says which request failed when the error body is not the API shape', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));

    await expect(fetchThroughput(300)).rejects.toMatchObject({
      status: 502,
      message: 'GET /api/v1/throughput failed: 502 Bad Gateway',
    });
  });

  it('says the server could not be reached when the network fails', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });

    await expect(fetchThroughput(300)).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
      message: expect.stringContaining('Could not reach the Flowlens server'),
    });
  });

  it('rejects an answer that does not match the contract, naming the field', async () => {
    vi.stubGlobal('fetch', async () => answer(200, { window_seconds: '300' }));

    await expect(fetchThroughput(300)).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('at window_seconds'),
    });
  });
});

describe('a request that finds nobody signed in', () => {
  const unauthenticated = { error: { status: 401, code: 'unauthenticated', message: 'your session has expired: sign in again' } };

  it("reports the server's message to every listener once, and still fails the request", async () => {
    vi.stubGlobal('fetch', async () => answer(401, unauthenticated));
    const heard: string[] = [];
    const stop = onSignedOut((message) => heard.push(message));

    const error = await fetchThroughput(300).catch((e: unknown) => e);
    stop();

    expect(error).toMatchObject({ status: 401, code: 'unauthenticated', message: 'your session has expired: sign in again' });
    expect(heard).toEqual(['your session has expired: sign in again']);
  });

  it('is not reported when the 401 is the answer asked for (who is signed in, a sign-in)', async () => {
    vi.stubGlobal('fetch', async () => answer(401, { error: { status: 401, code: 'invalid_credentials', message: 'invalid name or password' } }));
    const heard: string[] = [];
    const stop = onSignedOut((message) => heard.push(message));

    await expect(requestJson('POST', '/api/v1/session', z.unknown(), { body: { name: 'olga', password: 'x' }, reportSignedOut: false })).rejects.toMatchObject({ code: 'invalid_credentials' });
    stop();

    expect(heard).toEqual([]);
  });

  it('is not reported for a refusal of a role (403): the person is still signed in', async () => {
    vi.stubGlobal('fetch', async () => answer(403, { error: { status: 403, code: 'forbidden', message: 'POST /api/v1/alerts/:id/acknowledge needs the operator role; vera is viewer' } }));
    const heard: string[] = [];
    const stop = onSignedOut((message) => heard.push(message));

    await expect(postJson('/api/v1/alerts/a/acknowledge', { note: '' }, z.unknown())).rejects.toMatchObject({ status: 403, message: expect.stringContaining('needs the operator role') });
    stop();

    expect(heard).toEqual([]);
  });

  it('is not reported for a request cancelled while its answer arrived (the screen went away)', async () => {
    const controller = new AbortController();
    vi.stubGlobal('fetch', async () => {
      controller.abort();
      return answer(401, unauthenticated);
    });
    const heard: string[] = [];
    const stop = onSignedOut((message) => heard.push(message));

    await expect(requestJson('GET', '/api/v1/overview', z.unknown(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    stop();

    expect(heard).toEqual([]);
  });

  it('stops being reported to a listener that stopped listening', async () => {
    vi.stubGlobal('fetch', async () => answer(401, unauthenticated));
    const heard: string[] = [];
    onSignedOut((message) => heard.push(message))();

    await fetchThroughput(300).catch(() => undefined);

    expect(heard).toEqual([]);
  });
});

describe('an answer asking to wait', () => {
  it('carries the seconds of its Retry-After header', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { status: 429, code: 'too_many_attempts', message: 'try again in 42 s' } }), { status: 429, headers: { 'retry-after': '42' } }));

    await expect(fetchThroughput(300)).rejects.toMatchObject({ status: 429, code: 'too_many_attempts', retryAfterSeconds: 42 });
  });

  it('sends changes as JSON, which the server requires of every change', async () => {
    const fetchMock = vi.fn(async () => answer(200, {}));
    vi.stubGlobal('fetch', fetchMock);

    await postJson('/api/v1/alerts/a/acknowledge', { note: 'on it' }, z.unknown());

    expect(fetchMock).toHaveBeenCalledWith('/api/v1/alerts/a/acknowledge', expect.objectContaining({ method: 'POST', body: '{"note":"on it"}', headers: expect.objectContaining({ 'content-type': 'application/json' }) }));
  });
});

describe('isRetryable', () => {
  it('retries network trouble and server errors but not client errors', () => {
    expect(isRetryable(new ApiRequestError('down', 0, 'network_error'))).toBe(true);
    expect(isRetryable(new ApiRequestError('oops', 503, 'unavailable'))).toBe(true);
    expect(isRetryable(new ApiRequestError('no such key', 404, 'not_found'))).toBe(false);
    expect(isRetryable(new ApiRequestError('missing key', 400, 'bad_request'))).toBe(false);
  });
});
