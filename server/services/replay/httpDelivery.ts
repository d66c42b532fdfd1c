import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkAddress, checkHostName, isIpAddress } from '../../domain/replayAddressPolicy.js';
import { createTokenBucket, type TokenBucket } from '../../domain/tokenBucket.js';
import { lookupUrlFor, REPLAY_USER_AGENT, replayHeaders } from './renderRequest.js';
import type { Delivery, DeliveryOutcome, DeliveryRequest, LookupOutcome, ReplayTarget } from './replayPorts.js';

/**
 * Delivery of replays to configured targets over HTTP (issue 7). Only the target's own URL is called: its host
 * is resolved once, every address is checked with the address policy, and the connection goes to a checked
 * address (a pinned `lookup`, so a second, rebinding DNS answer cannot swap it). Redirects are never followed.
 * Whether anything reached the target decides the outcome: a failure before the connection was made is
 * `refused` (safe to send later); a failure after the request went out is `unknown`, for `lookup` to settle.
 */

export type ResolvedAddress = { address: string; family: number };

export type HttpDeliveryOptions = {
  /** All addresses of a host name; default `dns.lookup` with `all: true`. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** Clock in epoch ms for rate limits, durations and `Retry-After` dates; default `Date.now`. */
  now?: () => number;
  /** Response body bytes kept in an outcome; default 4096. */
  maxBodyBytes?: number;
  /** When nothing reached the target (connection refused, DNS failure): wait before trying again; default 5000. */
  retryDelayMs?: number;
};

const DEFAULT_RETRY_AFTER_MS = 5000;
/** A `Retry-After` further away than this is treated as this: a replay job should not be parked for days. */
const MAX_RETRY_AFTER_MS = 3_600_000;
const REASON_BODY_CHARS = 200;

type Exchange =
  | { kind: 'blocked'; reason: string }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'lost'; reason: string; ms: number }
  | { kind: 'answered'; status: number; statusText: string; headers: IncomingHttpHeaders; body: string; ms: number };

type Call = { target: ReplayTarget; method: string; url: string; headers: [string, string][]; body?: string };

export function createHttpDelivery(options: HttpDeliveryOptions = {}): Delivery {
  const now = options.now ?? Date.now;
  const resolve = options.resolve ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  const maxBodyBytes = options.maxBodyBytes ?? 4096;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_AFTER_MS;
  const buckets = new Map<string, { rate: number; bucket: TokenBucket }>();

  /** One bucket per target (lookups count too: they load the same system). */
  function bucketFor(target: ReplayTarget): TokenBucket {
    const known = buckets.get(target.name);
    if (known && known.rate === target.ratePerSecond) return known.bucket;
    const bucket = createTokenBucket({ ratePerSecond: target.ratePerSecond });
    buckets.set(target.name, { rate: target.ratePerSecond, bucket });
    return bucket;
  }

  async function exchange(call: Call, signal?: AbortSignal): Promise<Exchange> {
    const { target } = call;
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      return { kind: 'blocked', reason: `${JSON.stringify(call.url)} is not a URL` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'blocked', reason: `${url.protocol} URLs are not delivered to; use http(s)` };
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const named = checkHostName(host, target.allowAddresses);
    if (!named.allowed) return { kind: 'blocked', reason: named.reason };
    const resolved = await resolveHost(host, target.allowAddresses);
    if ('reason' in resolved) return resolved;
    if (!(await waitForToken(bucketFor(target), signal))) return { kind: 'not_sent', reason: 'cancelled before sending; nothing was sent' };
    return send(call, url, resolved.addresses, signal);
  }

  /** Every address the host has must pass the policy: a mixed answer is refused rather than filtered. */
  async function resolveHost(host: string, allowAddresses: readonly string[]): Promise<{ addresses: ResolvedAddress[] } | Exclude<Exchange, { kind: 'answered' | 'lost' }>> {
    let addresses: ResolvedAddress[];
    if (isIpAddress(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
    else {
      try {
        addresses = await resolve(host);
      } catch (err) {
        return { kind: 'not_sent', reason: `cannot resolve ${host} (${errorText(err)}); nothing was sent` };
      }
      if (addresses.length === 0) return { kind: 'not_sent', reason: `${host} resolves to no address; nothing was sent` };
    }
    for (const { address } of addresses) {
      const decision = checkAddress(address, allowAddresses, host);
      if (!decision.allowed) return { kind: 'blocked', reason: address === host ? decision.reason : `${host} resolves to ${decision.reason}` };
    }
    return { addresses };
  }

  /** Waits for this target's turn; false when cancelled first (the turn is given back). */
  async function waitForToken(bucket: TokenBucket, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    const waitMs = bucket.reserve(now());
    if (waitMs === 0) return true;
    return new Promise((done) => {
      const onAbort = () => {
        clearTimeout(timer);
        bucket.release(now());
        done(false);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        done(true);
      }, waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  function send(call: Call, url: URL, addresses: ResolvedAddress[], signal?: AbortSignal): Promise<Exchange> {
    if (signal?.aborted) return Promise.resolve({ kind: 'not_sent', reason: 'cancelled before sending; nothing was sent' });
    const started = now();
    const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
    const headers: Record<string, string> = Object.fromEntries(call.headers);
    if (body) headers['Content-Length'] = String(body.length);
    let request: http.ClientRequest;
    try {
      request = (url.protocol === 'https:' ? https : http).request(url, { method: call.method, headers, agent: false, lookup: pinnedLookup(addresses) });
    } catch (err) {
      // Node refuses e.g. a header value with control characters before connecting.
      return Promise.resolve({ kind: 'blocked', reason: `cannot be sent: ${errorText(err)}` });
    }
    return new Promise<Exchange>((settleOnce) => {
      let settled = false;
      let connected = false;
      let answered = false;
      const settle = (outcome: Exchange) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settleOnce(outcome);
      };
      const stop = (why: 'timeout' | 'aborted') => {
        const reason =
          why === 'timeout'
            ? connected
              ? `no answer within ${call.target.timeoutMs} ms of sending`
              : `could not connect within ${call.target.timeoutMs} ms; nothing was sent`
            : connected
              ? 'cancelled after sending'
              : 'cancelled before sending; nothing was sent';
        if (!answered) settle(connected ? { kind: 'lost', reason, ms: now() - started } : { kind: 'not_sent', reason });
        request.destroy(new Error(reason));
      };
      const onAbort = () => stop('aborted');
      const timer = setTimeout(() => stop('timeout'), call.target.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      request.on('socket', (socket) => {
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      request.on('error', (err) => {
        if (answered) return;
        const where = `${url.host}`;
        settle(
          connected
            ? { kind: 'lost', reason: `${errorText(err)} after the request was sent to ${where}`, ms: now() - started }
            : { kind: 'not_sent', reason: `${errorText(err)} connecting to ${where}; nothing was sent` },
        );
      });
      request.on('response', (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          settle({ kind: 'answered', status, statusText: response.statusMessage ?? '', headers: response.headers, body: text, ms: now() - started });
        };
        response.on('data', (chunk: Buffer) => {
          if (kept >= maxBodyBytes) return;
          const part = chunk.subarray(0, maxBodyBytes - kept);
          chunks.push(part);
          kept += part.length;
          // The status is the answer; past the cap the rest of the body is not worth waiting for.
          if (kept >= maxBodyBytes) {
            finish();
            response.destroy();
          }
        });
        response.on('end', finish);
        // A body cut short (reset, timeout) still carries the status the target answered.
        response.on('error', finish);
        response.on('close', finish);
      });
      request.end(body);
    });
  }

  return {
    async deliver(request: DeliveryRequest, signal?: AbortSignal): Promise<DeliveryOutcome> {
      const begun = now();
      const result = await exchange({ target: request.target, method: request.target.method, url: request.target.url, headers: replayHeaders(request), body: request.body }, signal);
      if (result.kind === 'blocked') return result;
      if (result.kind === 'not_sent') return { kind: 'refused', status: 0, retryAfterMs: retryDelayMs, reason: result.reason, ms: now() - begun };
      if (result.kind === 'lost') return { kind: 'unknown', reason: result.reason, ms: result.ms };
      const { status, body, ms } = result;
      const line = statusLine(result);
      if (status >= 200 && status < 300) return { kind: 'applied', status, body, ms };
      if (status >= 300 && status < 400) return { kind: 'rejected', status, body, reason: `${line}: ${redirectText(result.headers.location, request.target.url)}`, ms };
      if (status === 429 || status === 503 || status === 408 || status === 425) {
        return { kind: 'refused', status, retryAfterMs: retryAfterMs(result.headers['retry-after'], now()), reason: `${line}: the target did not take it; safe to send again later`, ms };
      }
      if (status >= 500) return { kind: 'unknown', reason: `${line}${snippet(body)}: the target may have applied it`, ms };
      return { kind: 'rejected', status, body, reason: `${line}${snippet(body)}`, ms };
    },

    async lookup(target: ReplayTarget, idempotencyKey: string, signal?: AbortSignal): Promise<LookupOutcome> {
      const url = lookupUrlFor(target, idempotencyKey);
      if (url === undefined) return { kind: 'unknown', reason: 'target has no lookup' };
      const headers: [string, string][] = [...Object.entries(target.headers), ['Accept', 'application/json'], ['User-Agent', REPLAY_USER_AGENT]];
      const result = await exchange({ target, method: 'GET', url, headers }, signal);
      if (result.kind === 'blocked') return { kind: 'unknown', reason: `lookup not sent: ${result.reason}` };
      if (result.kind === 'not_sent' || result.kind === 'lost') return { kind: 'unknown', reason: `lookup failed: ${result.reason}` };
      if (result.status >= 200 && result.status < 300) return { kind: 'applied' };
      if (result.status === 404) return { kind: 'not_applied' };
      if (result.status >= 300 && result.status < 400) return { kind: 'unknown', reason: `lookup answered ${statusLine(result)}: ${redirectText(result.headers.location, url)}` };
      return { kind: 'unknown', reason: `lookup answered ${statusLine(result)}${snippet(result.body)}` };
    },
  };
}

/** Connects only to the checked addresses, whatever the host name resolves to by then. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return ((_host: string, options: { all?: boolean; family?: number | string }, callback: (...args: unknown[]) => void) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0);
    const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const list = wanted.length > 0 ? wanted : addresses;
    if (options.all) callback(null, list.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, list[0]!.address, list[0]!.family);
  }) as LookupFunction;
}

/** `Retry-After` in seconds or as an HTTP date; default 5 s, at most an hour. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  let ms = DEFAULT_RETRY_AFTER_MS;
  if (value !== undefined && /^\d+$/.test(value)) ms = Number(value) * 1000;
  else if (value !== undefined && !Number.isNaN(Date.parse(value))) ms = Math.max(0, Date.parse(value) - now);
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

function redirectText(location: string | undefined, base: string): string {
  if (location === undefined) return 'a redirect without a Location, not followed';
  try {
    return `redirect to ${new URL(location, base).host} not followed (replays go only to the configured URL)`;
  } catch {
    return `redirect to ${JSON.stringify(location.slice(0, REASON_BODY_CHARS))} not followed`;
  }
}

function statusLine({ status, statusText }: { status: number; statusText: string }): string {
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  return `: ${text.length > REASON_BODY_CHARS ? `${text.slice(0, REASON_BODY_CHARS)}…` : text}`;
}

function errorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
