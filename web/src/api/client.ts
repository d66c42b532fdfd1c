import { apiErrorSchema, dashboardsResponseSchema, overviewSchema, throughputSchema } from './contracts';
import type { DashboardsResponse, Overview, Throughput } from './contracts';
import { takeBootOverview } from './boot';
import type { z } from 'zod';

/**
 * The one way the web app talks to the Flowlens API: checks `response.ok`, turns the server's error body into an
 * error that says what failed, and parses every answer with the shared contract schemas (server/contracts/api.ts).
 * A 401 from any request means the sign-in is gone (expired, signed out elsewhere, account removed): it is
 * reported once here to whoever listens (the session state, web/src/auth/), so no screen handles it itself.
 */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached at all. */
    readonly status: number,
    /** The server's error code (`not_found`, `bad_request`, …), or a client-side one. */
    readonly code: string,
    /** Seconds the server asked to wait (`Retry-After` of a 429 or 503), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

type SignedOutListener = (message: string) => void;
const signedOutListeners = new Set<SignedOutListener>();

/**
 * Be told, with the server's message, whenever a request finds the caller no longer signed in (a 401). Returns
 * the function that stops listening.
 */
export function onSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener);
  return () => {
    signedOutListeners.delete(listener);
  };
}

/** Say that the sign-in is gone; for channels other than fetch (the live socket's refused handshake). */
export function reportSignedOut(message: string): void {
  for (const listener of [...signedOutListeners]) listener(message);
}

/** Client errors will not change on a retry; network trouble and 5xx might. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
}

export function fetchThroughput(windowSeconds: number, signal?: AbortSignal): Promise<Throughput> {
  return getJson(`/api/v1/throughput?${new URLSearchParams({ window: String(windowSeconds) })}`, throughputSchema, signal);
}

export async function fetchOverview(signal?: AbortSignal): Promise<Overview> {
  // The first answer comes from the request index.html started while this code loaded, unless that request was
  // refused for want of a sign-in made since (the page was loaded signed out): then ask again.
  const started = await takeBootOverview();
  if (started !== undefined && started.status !== 401) return readAnswer('GET', '/api/v1/overview', started, overviewSchema, { report: true });
  return getJson('/api/v1/overview', overviewSchema, signal);
}

export function fetchDashboards(signal?: AbortSignal): Promise<DashboardsResponse> {
  // The server checked every option against its kind at boot; the shared schema checks the envelope.
  return getJson('/api/v1/dashboards', dashboardsResponseSchema, signal) as Promise<DashboardsResponse>;
}

/**
 * GET a JSON answer and parse it with its contract schema. Feature folders build their fetchers on this
 * (`web/src/features/<screen>/api.ts`), so every screen reports failures the same way.
 */
export function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return requestJson('GET', path, schema, { signal });
}

/** POST a JSON body (a workflow action, a bulk request) and parse the answer with its contract schema. */
export function postJson<T>(path: string, body: unknown, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return requestJson('POST', path, schema, { body, signal });
}

/** DELETE (ending a mute) and parse the answer with its contract schema; nothing is sent but the path. */
export function deleteJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return requestJson('DELETE', path, schema, { signal });
}

export type RequestOptions = {
  /** Sent as JSON (`Content-Type: application/json`, which the server requires of every change). */
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Whether a 401 means the sign-in is gone and is reported to `onSignedOut` listeners (the default). Asking who
   * is signed in, and signing in, expect a 401 as an answer and turn it off.
   */
  reportSignedOut?: boolean;
};

/** Any request to the API: the answer parsed with `schema`, or an `ApiRequestError` saying what failed. */
export async function requestJson<T>(method: 'GET' | 'POST' | 'DELETE', path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<T> {
  const { body, signal, reportSignedOut: report = true } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(
      `Could not reach the Flowlens server (${method} ${pathname(path)}). Check that it is running and your network is up.`,
      0,
      'network_error',
    );
  }

  return readAnswer(method, path, response, schema, { report, signal });
}

async function readAnswer<T>(method: string, path: string, response: Response, schema: z.ZodType<T>, options: { report: boolean; signal?: AbortSignal | undefined }): Promise<T> {
  const answer: unknown = await response.json().catch(() => undefined);
  // Cancelled while the body arrived (the screen went away): not an answer to report or parse.
  if (options.signal?.aborted) throw options.signal.reason;
  if (!response.ok) {
    const error = errorOf(method, path, response, answer);
    // A 401 the server did not explain (a proxy's page) still ends the sign-in, with no reason to give.
    if (options.report && error.status === 401) reportSignedOut(error.code === 'http_error' ? '' : error.message);
    throw error;
  }

  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new ApiRequestError(
      `Unexpected answer from ${method} ${pathname(path)}${where}: ${issue?.message ?? 'not the expected shape'}. Is the web app the same version as the server?`,
      response.status,
      'invalid_response',
    );
  }
  return parsed.data;
}

function errorOf(method: string, path: string, response: Response, answer: unknown): ApiRequestError {
  const wait = Number(response.headers.get('retry-after') ?? '');
  const retryAfter = Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : undefined;
  const parsed = apiErrorSchema.safeParse(answer);
  if (parsed.success) return new ApiRequestError(parsed.data.error.message, response.status, parsed.data.error.code, retryAfter);
  return new ApiRequestError(`${method} ${pathname(path)} failed: ${response.status} ${response.statusText}`.trim(), response.status, 'http_error', retryAfter);
}

function pathname(path: string): string {
  return path.split('?')[0] ?? path;
}
