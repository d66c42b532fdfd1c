import { apiErrorSchema, dashboardsResponseSchema, overviewSchema, throughputSchema } from './contracts';
import type { DashboardsResponse, Overview, Throughput } from './contracts';
import { takeBootOverview } from './boot';
import type { z } from 'zod';

/**
 * The one way the web app talks to the Flowlens API: checks `response.ok`, turns the server's error body into an
 * error that says what failed, and parses every answer with the shared contract schemas (server/contracts/api.ts).
 */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached at all. */
    readonly status: number,
    /** The server's error code (`not_found`, `bad_request`, …), or a client-side one. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** Client errors will not change on a retry; network trouble and 5xx might. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
}

export function fetchThroughput(windowSeconds: number, signal?: AbortSignal): Promise<Throughput> {
  return getJson(`/api/v1/throughput?${new URLSearchParams({ window: String(windowSeconds) })}`, throughputSchema, signal);
}

export async function fetchOverview(signal?: AbortSignal): Promise<Overview> {
  // The first answer comes from the request index.html started while this code loaded.
  const started = await takeBootOverview();
  if (started !== undefined) return readAnswer('GET', '/api/v1/overview', started, overviewSchema);
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
  return requestJson('GET', path, schema, undefined, signal);
}

/** POST a JSON body (a workflow action, a bulk request) and parse the answer with its contract schema. */
export function postJson<T>(path: string, body: unknown, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return requestJson('POST', path, schema, body, signal);
}

/** DELETE with a JSON body (who is ending a mute) and parse the answer with its contract schema. */
export function deleteJson<T>(path: string, body: unknown, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  return requestJson('DELETE', path, schema, body, signal);
}

async function requestJson<T>(method: 'GET' | 'POST' | 'DELETE', path: string, schema: z.ZodType<T>, body: unknown, signal?: AbortSignal): Promise<T> {
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

  return readAnswer(method, path, response, schema);
}

async function readAnswer<T>(method: string, path: string, response: Response, schema: z.ZodType<T>): Promise<T> {
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(answer);
    if (parsed.success) throw new ApiRequestError(parsed.data.error.message, response.status, parsed.data.error.code);
    throw new ApiRequestError(
      `${method} ${pathname(path)} failed: ${response.status} ${response.statusText}`.trim(),
      response.status,
      'http_error',
    );
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

function pathname(path: string): string {
  return path.split('?')[0] ?? path;
}
