/**
 * The ports between the replay engine (claims, jobs, recording) and delivery to a target system over HTTP.
 * Delivery never decides whether to send again: it reports what it knows, and an outcome it cannot know
 * (a lost response) is `unknown`, settled only by the target's lookup.
 */

/** A configured replay target: where a replay of events whose `replay_target` is `name` is delivered. */
export type ReplayTarget = {
  name: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  /** Header values with `${ENV}` references already resolved; shown redacted in a dry run. */
  headers: Readonly<Record<string, string>>;
  /** Header names whose values are secrets (redacted wherever shown). */
  secretHeaders: readonly string[];
  ratePerSecond: number;
  timeoutMs: number;
  /** `{idempotency_key}` in it is replaced (URL-encoded); answers 2xx when the key was applied, 404 when not. */
  lookupUrl?: string;
  /** Hosts/addresses this target may resolve to although they are link-local, metadata or otherwise refused. */
  allowAddresses: readonly string[];
};

/** Exactly what one delivery sends. */
export type DeliveryRequest = {
  target: ReplayTarget;
  idempotencyKey: string;
  contentType: string;
  body: string;
};

/**
 * What one delivery attempt established:
 * - `applied`: the target answered 2xx.
 * - `rejected`: the target answered and did not apply it (4xx other than 408/425/429, or a redirect, not followed).
 * - `refused`: the target answered 429/503 before doing anything; safe to try again after `retryAfterMs`.
 * - `blocked`: never sent (address refused, not allowed, invalid URL).
 * - `unknown`: the request may have reached the target but no answer came back (timeout after sending, reset,
 *   other 5xx): settle with `lookup`, never by sending again.
 */
export type DeliveryOutcome =
  | { kind: 'applied'; status: number; body: string; ms: number }
  | { kind: 'rejected'; status: number; body: string; reason: string; ms: number }
  | { kind: 'refused'; status: number; retryAfterMs: number; reason: string; ms: number }
  | { kind: 'blocked'; reason: string }
  | { kind: 'unknown'; reason: string; ms: number };

/** Whether the target applied an idempotency key: `unknown` when it has no lookup or the lookup failed. */
export type LookupOutcome = { kind: 'applied' } | { kind: 'not_applied' } | { kind: 'unknown'; reason: string };

export type Delivery = {
  deliver(request: DeliveryRequest, signal?: AbortSignal): Promise<DeliveryOutcome>;
  lookup(target: ReplayTarget, idempotencyKey: string, signal?: AbortSignal): Promise<LookupOutcome>;
};
