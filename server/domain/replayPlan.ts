import { createHash } from 'node:crypto';
import { MAX_REPLAY_ITEMS, SKIP_REASONS } from '../contracts/replayApi.js';
import type { Hold } from './replayItems.js';

export { MAX_REPLAY_ITEMS, SKIP_REASONS };

/**
 * Planning a replay (issue 7): which selected events would be sent and which are skipped, with the idempotency
 * key each carries, whether the job needs a second operator's approval, and the replay step written back once
 * a target answered. Pure: the facts (claims, later successes, lookups) are read by the service.
 */

/** Longest time range of a bulk selection. */
export const MAX_REPLAY_RANGE_MS = 31 * 86_400_000;
/** The `system` of the steps replays write back. */
export const REPLAY_SYSTEM = 'flowlens';

export type SkipReason = (typeof SKIP_REASONS)[number];

/** A selected event, as far as planning needs it (the payload itself is read only to send or show it). */
export type ReplayCandidate = {
  event_id: string;
  flow: string;
  correlation_id: string;
  step: string;
  status: string;
  occurred_at: number;
  replay_target: string;
  has_payload: boolean;
  /** `idempotency_key` of a JSON object payload ('' when none): the key the original delivery used. */
  payload_key: string;
};

/** What is known about a candidate when it is planned. */
export type PlanFacts = {
  targetConfigured: boolean;
  hold: Hold;
  /** Latest success of the same correlation and step (0: none). */
  lastSuccessAt: number;
  /** Whether the target's lookup says the key is applied (undefined: not asked, no lookup, or no answer). */
  keyApplied?: boolean;
};

export type ItemPlan = { action: 'send' } | { action: 'skip'; reason: SkipReason; jobId?: string; message: string };

/** Send, or the first reason to skip, in the order an operator reads them: what can never be sent, then what already was. */
export function planItem(c: ReplayCandidate, facts: PlanFacts): ItemPlan {
  const skip = (reason: SkipReason, message: string, jobId?: string): ItemPlan => ({ action: 'skip', reason, message, ...(jobId ? { jobId } : {}) });
  if (c.status !== 'failed' && c.status !== 'dead_lettered') return skip('not_failed', `the event is ${c.status}; only failed or dead-lettered events are replayed`);
  if (!c.has_payload) return skip('no_payload', 'the event carries no payload to send again');
  if (c.replay_target === '') return skip('no_target', 'the event names no replay_target');
  if (!facts.targetConfigured) return skip('no_target', `no replay target "${c.replay_target}" is configured (FLOWLENS_REPLAY_TARGETS)`);
  if (facts.hold.kind === 'held') {
    const { reason, jobId } = facts.hold;
    if (reason === 'already_applied') return skip(reason, `already replayed by job ${jobId}`, jobId);
    if (reason === 'in_progress') return skip(reason, `a replay is in progress in job ${jobId}`, jobId);
    return skip(reason, `job ${jobId} could not tell whether the target applied it; an operator must decide first`, jobId);
  }
  if (facts.lastSuccessAt > c.occurred_at) return skip('later_success', `a later success of ${c.step} exists (${new Date(facts.lastSuccessAt).toISOString()})`);
  if (facts.keyApplied === true) return skip('key_applied', 'the target already applied this idempotency key');
  return { action: 'send' };
}

/**
 * The idempotency key of a replay: the original delivery's (the payload's `idempotency_key`: the ERP requires the
 * body's field to equal the header), else one derived from the event and target. The same on every attempt.
 */
export function idempotencyKeyFor(eventId: string, target: string, payloadKey: string): string {
  if (payloadKey !== '') return payloadKey;
  return `flowlens-${createHash('sha256').update(`${eventId}|${target}`).digest('hex').slice(0, 32)}`;
}

/** The finance-affecting flows among a job's, which make it wait for a second operator (empty: no approval needed). */
export function approvalFlows(flows: Iterable<string>, fourEyesFlows: readonly string[]): string[] {
  const finance = new Set(fourEyesFlows);
  return [...new Set([...flows].filter((f) => finance.has(f)))].sort();
}

/** Why a bulk selection's time range is refused (undefined: fine). */
export function rangeProblem(from: number, to: number): { field: 'from' | 'to'; message: string } | undefined {
  if (!(from < to)) return { field: 'to', message: 'must be later than from' };
  if (to - from > MAX_REPLAY_RANGE_MS) return { field: 'from', message: `the range is at most 31 days; ask for a shorter one` };
  return undefined;
}

/** The content type a stored payload is sent with: JSON when it parses as JSON. */
export function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}

/** The original event, as much of it as its replay step copies. */
export type ReplayedEvent = {
  event_id: string;
  correlation_id: string;
  flow: string;
  step: string;
  occurred_at: number;
  channel: string;
  region: string;
  location_id: string;
  sku: string;
  quantity: number | null;
  amount: string | null;
  currency: string;
  error_class: string;
  keys: Record<string, string>;
};

export type ReplayResult = { kind: 'applied'; at: number } | { kind: 'rejected'; at: number; attempt: number; httpStatus: number; message: string };

const MAX_EVENT_ID = 128;

/**
 * The step a replay writes back through ingest, so lineage and exceptions see it: the same flow, correlation and
 * step, `system: flowlens`, sent to the target, `replay_of` the original. Its id is fixed by the result
 * (`replay:<target>:<original id>`, plus `:rejected:<attempt>` for a refusal), so writing it again after a crash
 * is the same event. No payload or replay_target: a replay step is not itself replayed.
 */
export function replayStepEvent(original: ReplayedEvent, target: string, result: ReplayResult): Record<string, unknown> {
  const suffix = result.kind === 'applied' ? '' : `:rejected:${result.attempt}`;
  const optional = (value: string) => (value === '' ? undefined : value);
  // A success must come after the failure it closes, whatever the clocks say.
  const occurredAt = Math.max(result.at, original.occurred_at + 1);
  return {
    event_id: replayEventId(target, original.event_id, suffix),
    correlation_id: original.correlation_id,
    flow: original.flow,
    step: original.step,
    system: REPLAY_SYSTEM,
    target_system: target,
    channel: optional(original.channel),
    region: optional(original.region),
    location_id: optional(original.location_id),
    sku: optional(original.sku),
    quantity: original.quantity ?? undefined,
    amount: original.amount ?? undefined,
    currency: original.amount === null ? undefined : optional(original.currency),
    status: result.kind === 'applied' ? 'ok' : 'failed',
    ...(result.kind === 'rejected'
      ? {
          error_code: `HTTP_${result.httpStatus}`,
          error_class: original.error_class === 'business' ? 'business' : 'technical',
          error_message: `replay rejected by ${target}: ${result.message}`.slice(0, 4096),
        }
      : {}),
    occurred_at: occurredAt,
    keys: original.keys,
    replay_of: original.event_id,
  };
}

function replayEventId(target: string, originalId: string, suffix: string): string {
  const id = `replay:${target}:${originalId}${suffix}`;
  if (id.length <= MAX_EVENT_ID) return id;
  return `replay:${target}:${createHash('sha256').update(originalId).digest('hex').slice(0, 40)}${suffix}`.slice(0, MAX_EVENT_ID);
}
