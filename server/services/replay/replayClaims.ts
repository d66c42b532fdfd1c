import type { ClickHouseClient } from '@clickhouse/client';
import { holdOf, type ClaimView, type Hold, type ItemState } from '../../domain/replayItems.js';
import type { Schema } from '../../store/schema.js';
import { keyedLock } from './replayEngine.js';
import { claimViews, insertTransitions, maxTransitionSeq, unsettledClaims, type TransitionRow } from '../../store/queries/replayTransitions.js';

/** One (event, target) a replay delivers. */
export type ItemRef = { eventId: string; target: string };
export const itemKey = (ref: ItemRef): string => `${ref.eventId}\u0000${ref.target}`;

export type NewTransition = {
  ref: ItemRef;
  jobId: string;
  state: ItemState;
  attempt: number;
  idempotencyKey: string;
  actor: string;
  httpStatus?: number;
  detail?: string;
};

export type ClaimResult = { ok: true; attempt: number } | { ok: false; hold: Extract<Hold, { kind: 'held' }> };

/**
 * The durable claims of replay items: who holds each (event, target) and what happened to it, append-only.
 *
 * `claim` is the one place that decides who may send: read the item's state, check it, append `claimed` — atomic
 * because it runs under a per-item lock in this process, and the embedded engine binds its data folder to one
 * process. Several servers sharing a ClickHouse server would each hold their own lock, so there the port needs
 * an adapter with a shared compare-and-set (e.g. a ClickHouse KeeperMap table keyed by item, written with
 * `keeper_map_strict_mode`, a later issue); nothing outside this port assumes the lock is local.
 */
export type ReplayClaims = {
  /** The claims of these events' items, keyed by `itemKey`. */
  current(eventIds: readonly string[]): Promise<Map<string, ClaimView>>;
  /** Claim for `jobId` when the item is free (or already this job's claim); else who holds it and why. */
  claim(ref: ItemRef, jobId: string, idempotencyKey: string, actor: string): Promise<ClaimResult>;
  /** Append a transition of an item this caller holds (or a note). */
  append(transition: NewTransition): Promise<TransitionRow>;
  /** Append `make(view)` only when `allowed(view)` holds at that moment (under the item's lock); undefined when not. */
  appendIf(ref: ItemRef, allowed: (view: ClaimView | undefined) => boolean, make: (view: ClaimView | undefined) => NewTransition): Promise<TransitionRow | undefined>;
  /** Items a start must settle, release or record (recoveryPlan). */
  unsettled(): Promise<ClaimView[]>;
};

/** A clock that never goes back: milliseconds × 1000 plus a counter, starting past the highest value stored. */
export function createSequencer(clock: () => number, stored: () => Promise<number>): () => Promise<number> {
  let last: number | undefined;
  let loading: Promise<number> | undefined;
  return async () => {
    if (last === undefined) {
      loading ??= stored();
      last = Math.max(last ?? 0, await loading);
    }
    last = Math.max(clock() * 1000, last + 1);
    return last;
  };
}

/** The claims in the ClickHouse tables of migration 0011, locked per item within this process. */
export function createClickHouseClaims(client: ClickHouseClient, schema: Schema, clock: () => number): ReplayClaims {
  const nextSeq = createSequencer(clock, () => maxTransitionSeq(client, schema));
  const lock = keyedLock();
  const locked = <T>(ref: ItemRef, fn: () => Promise<T>) => lock(itemKey(ref), fn);

  async function viewOf(ref: ItemRef): Promise<ClaimView | undefined> {
    return (await claimViews(client, schema, [ref.eventId])).find((v) => v.target === ref.target);
  }

  async function append(t: NewTransition): Promise<TransitionRow> {
    const row: TransitionRow = {
      event_id: t.ref.eventId,
      target: t.ref.target,
      seq: await nextSeq(),
      job_id: t.jobId,
      state: t.state,
      attempt: t.attempt,
      idempotency_key: t.idempotencyKey,
      actor: t.actor,
      http_status: t.httpStatus ?? 0,
      detail: t.detail ?? '',
      at: clock(),
    };
    await insertTransitions(client, schema, [row]);
    return row;
  }

  return {
    current: async (eventIds) => {
      const views = new Map<string, ClaimView>();
      // Bounded parameter sizes: a bulk job asks for up to 10,000 events.
      for (let i = 0; i < eventIds.length; i += 2_000) {
        for (const view of await claimViews(client, schema, eventIds.slice(i, i + 2_000))) views.set(itemKey(view), view);
      }
      return views;
    },
    claim: (ref, jobId, idempotencyKey, actor) =>
      locked(ref, async (): Promise<ClaimResult> => {
        const view = await viewOf(ref);
        const hold = holdOf(view, jobId);
        if (hold.kind === 'held') return { ok: false, hold };
        if (hold.kind === 'own') return { ok: true, attempt: view!.attempt };
        const attempt = (view?.sends ?? 0) + 1;
        await append({ ref, jobId, state: 'claimed', attempt, idempotencyKey, actor });
        return { ok: true, attempt };
      }),
    append,
    appendIf: (ref, allowed, make) =>
      locked(ref, async () => {
        const view = await viewOf(ref);
        return allowed(view) ? append(make(view)) : undefined;
      }),
    unsettled: () => unsettledClaims(client, schema),
  };
}
