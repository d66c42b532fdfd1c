import { apiErrorSchema, lineageResponseSchema, overviewSchema, throughputSchema } from './contracts';
import type { LineageResponse, Overview, Throughput } from './contracts';
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

export function fetchLineage(key: string, signal?: AbortSignal): Promise<LineageResponse> {
  return getJson(`/api/v1/lineage?${new URLSearchParams({ key })}`, lineageResponseSchema, signal);
}

export function fetchOverview(signal?: AbortSignal): Promise<Overview> {
  return getJson('/api/v1/overview', overviewSchema, signal);
}

async function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(
      `Could not reach the Flowlens server (GET ${pathname(path)}). Check that it is running and your network is up.`,
      0,
      'network_error',
    );
  }

  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    if (parsed.success) throw new ApiRequestError(parsed.data.error.message, response.status, parsed.data.error.code);
    throw new ApiRequestError(
      `GET ${pathname(path)} failed: ${response.status} ${response.statusText}`.trim(),
      response.status,
      'http_error',
    );
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new ApiRequestError(
      `Unexpected answer from GET ${pathname(path)}${where}: ${issue?.message ?? 'not the expected shape'}. Is the web app the same version as the server?`,
      response.status,
      'invalid_response',
    );
  }
  return parsed.data;
}

function pathname(path: string): string {
  return path.split('?')[0] ?? path;
}
