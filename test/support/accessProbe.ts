import { request } from 'node:http';

/**
 * Probing the real app from outside for the access-control tests (issue 7): raw HTTP requests, and the pure
 * comparison of what the authorization matrix expects with what came back.
 */

/** What one request got back; `code`, `message` and `fields` when the body is an API error. */
export type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  code?: string;
  message?: string;
  /** The `details[].field` names of an API error. */
  fields?: string[];
};

/**
 * One HTTP request with the path sent exactly as given, byte for byte: `fetch` and `URL` resolve `..` and
 * re-encode, which would hide exactly what a traversal test must send.
 */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ...apiErrorOf(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function apiErrorOf(text: string): Pick<Answer, 'code' | 'message' | 'fields'> {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: { field?: unknown }[] } };
    const error = parsed?.error;
    if (error === undefined || typeof error.code !== 'string') return {};
    return {
      code: error.code,
      message: typeof error.message === 'string' ? error.message : '',
      fields: (error.details ?? []).map((d) => String(d.field)),
    };
  } catch {
    return {};
  }
}

/** Sign in as one of the test users; the `Cookie` header that acts as them. */
export async function signIn(baseUrl: string, name: string, password: string): Promise<string> {
  const res = await rawRequest(baseUrl, 'POST', '/api/v1/session', { 'content-type': 'application/json' }, JSON.stringify({ name, password }));
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('; ');
  const session = /flowlens_session=([^;]+)/.exec(setCookie)?.[1];
  if (res.status !== 200 || session === undefined) throw new Error(`sign-in as ${name} failed: ${res.status} ${res.text.slice(0, 200)} (is the auth wiring in?)`);
  return `flowlens_session=${session}`;
}

/**
 * What one cell of the authorization matrix should be: refused by the auth layer (401 `unauthenticated`, 403
 * `forbidden`); refused by the route's own check (an ingest key, a webhook signature) with this status; or let
 * through to the route, whose answer is then its own — never 401, 403 or 415 (the auth layer's), never a 5xx.
 */
export type Expected =
  | { outcome: 'refused'; status: 401 | 403 }
  | { outcome: 'route_refuses'; status: number }
  | { outcome: 'reached' };

const AUTH_CODES = { 401: 'unauthenticated', 403: 'forbidden' } as const;

/** Why `actual` does not meet `expected`, or undefined when it does. Pure, so it is tested with wrong expectations. */
export function mismatchOf(expected: Expected, actual: Pick<Answer, 'status' | 'code'>): string | undefined {
  const got = `${actual.status}${actual.code === undefined ? '' : ` ${actual.code}`}`;
  switch (expected.outcome) {
    case 'refused': {
      const code = AUTH_CODES[expected.status];
      return actual.status === expected.status && actual.code === code ? undefined : `got ${got}, expected ${expected.status} ${code}`;
    }
    case 'route_refuses':
      return actual.status === expected.status ? undefined : `got ${got}, expected the route's own ${expected.status}`;
    case 'reached':
      return [401, 403, 415].includes(actual.status) || actual.status >= 500 ? `got ${got}, expected the route's own answer (not 401/403/415, not 5xx)` : undefined;
  }
}
