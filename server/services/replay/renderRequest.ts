import { isSecretName } from '../../config/replayTargets.js';
import type { DeliveryRequest, ReplayTarget } from './replayPorts.js';

/**
 * What a replay sends, shown before it is sent (a dry run): the same headers the delivery builds, with secret
 * values replaced by `•••`. Pure, so the dry run and the delivery cannot disagree about what goes out.
 */

export const REPLAY_USER_AGENT = 'flowlens-replay';
export const REDACTED = '•••';

export type RenderedHeader = { name: string; value: string; redacted: boolean };

export type RenderedRequest = {
  method: ReplayTarget['method'];
  url: string;
  headers: RenderedHeader[];
  /** Pretty-printed when the body is JSON, as given otherwise. */
  body: string;
  bodyFormat: 'json' | 'text';
  /** How the outcome is checked when the answer is lost; absent when the target has no lookup. */
  lookup?: { method: 'GET'; url: string };
};

/** The headers one delivery sends, in order: the target's, then Idempotency-Key, Content-Type and User-Agent. */
export function replayHeaders(request: DeliveryRequest): [string, string][] {
  const own = new Set(['idempotency-key', 'content-type', 'user-agent']);
  return [
    ...Object.entries(request.target.headers).filter(([name]) => !own.has(name.toLowerCase())),
    ['Idempotency-Key', request.idempotencyKey],
    ['Content-Type', request.contentType],
    ['User-Agent', REPLAY_USER_AGENT],
  ];
}

/** The target's lookup URL for one key (URL-encoded), or undefined when it has none. */
export function lookupUrlFor(target: ReplayTarget, idempotencyKey: string): string | undefined {
  return target.lookupUrl?.replaceAll('{idempotency_key}', encodeURIComponent(idempotencyKey));
}

/** Whether a header's value is a secret: listed in the target's `secretHeaders`, or named like one. */
export function isSecretHeader(target: ReplayTarget, name: string): boolean {
  const lower = name.toLowerCase();
  return isSecretName(name) || target.secretHeaders.some((s) => s.toLowerCase() === lower);
}

/** The dry run of one delivery: method, URL, headers (secrets redacted), body and lookup. */
export function renderReplayRequest(request: DeliveryRequest): RenderedRequest {
  const { target } = request;
  const headers = replayHeaders(request).map(([name, value]) => {
    const redacted = name !== 'Idempotency-Key' && isSecretHeader(target, name);
    return { name, value: redacted ? REDACTED : value, redacted };
  });
  const lookupUrl = lookupUrlFor(target, request.idempotencyKey);
  return {
    method: target.method,
    url: redactQuery(target.url),
    headers,
    ...renderBody(request.contentType, request.body),
    ...(lookupUrl === undefined ? {} : { lookup: { method: 'GET' as const, url: redactQuery(lookupUrl) } }),
  };
}

function renderBody(contentType: string, body: string): Pick<RenderedRequest, 'body' | 'bodyFormat'> {
  if (!/json/i.test(contentType)) return { body, bodyFormat: 'text' };
  try {
    return { body: JSON.stringify(JSON.parse(body), null, 2), bodyFormat: 'json' };
  } catch {
    return { body, bodyFormat: 'text' };
  }
}

/** Query parameters named like secrets (`?api_key=…`) are shown as `•••`. */
function redactQuery(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const hash = url.indexOf('#', query);
  const end = hash === -1 ? url.length : hash;
  const params = url
    .slice(query + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && isSecretName(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, query + 1)}${params.join('&')}${url.slice(end)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
