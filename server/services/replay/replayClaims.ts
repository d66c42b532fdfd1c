import type { ClickHouseClient } from '@clickhouse/client';
import { holdOf, type ClaimView, type Hold, type ItemState } from '../../domain/replayItems.js';
import type { Schema } from '../../store/schema.js';
import { keyedLock } from '../keyedLock.js';
import { changesDecidedOn, claimViews, insertTransitions, maxTransitionSeq, unsettledClaims, type TransitionRow } from '../../store/queries/replayTransitions.js';

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
 * Every change of who holds an item — a claim, `sending` from a claim, a release, a settlement — is a
 * compare-and-set on the item's latest state: read it, check it, insert the change with the deduplication token
 * `change:<event>|<target>|<state's seq>` and `basis` = 1 + that seq. Every server deciding on the same state
 * inserts with the same token, so the store keeps exactly one of them (the table's deduplication window; on a
 * replicated table the block ids live in Keeper), and the row stored with that basis names the server that won.
 * Within a process a per-item lock also keeps contenders in line. The holder's own outcomes after `sending`
 * (applied, rejected, …) and notes are plain appends: nobody else writes an item while it is being sent.
 */
export type ReplayClaims = {
  /** The claims of these events' items, keyed by `itemKey`. */
  current(eventIds: readonly string[]): Promise<Map<string, ClaimView>>;
  /** Claim for `jobId` when the item is free (or already this job's claim); else who holds it and why. */
  claim(ref: ItemRef, jobId: string, idempotencyKey: string, actor: string): Promise<ClaimResult>;
  /** Append a transition of an item this caller holds (or a note). */
  append(transition: NewTransition): Promise<TransitionRow>;
  /** Append `make(view)` when `allowed(view)` holds and no other change of the item won meanwhile; undefined when not. */
  appendIf(ref: ItemRef, allowed: (view: ClaimView | undefined) => boolean, make: (view: ClaimView | undefined) => NewTransition): Promise<TransitionRow | undefined>;
  /** Items a start must settle, release or record (recoveryPlan). */
  unsettled(): Promise<ClaimView[]>;
};

/** A clock that never goes back: milliseconds × 1000 plus a counter, past the highest value stored or seen. */
export type Sequencer = { next(): Promise<number>; observe(seq: number): void };

export function createSequencer(clock: () => number, stored: () => Promise<number>): Sequencer {
  let last = 0;
  let loading: Promise<number> | undefined;
  let loaded = false;
  return {
    async next() {
      if (!loaded) {
        loading ??= stored();
        last = Math.max(last, await loading);
        loaded = true;
      }
      last = Math.max(clock() * 1000, last + 1);
      return last;
    },
    observe(seq) {
      last = Math.max(last, seq);
    },
  };
}

/** The claims in the ClickHouse tables of migrations 0011 and 0017, for the server `instance`. */
export function createClickHouseClaims(client: ClickHouseClient, schema: Schema, clock: () => number, instance: string): ReplayClaims {
  const seq = createSequencer(clock, () => maxTransitionSeq(client, schema));
  const lock = keyedLock();
  const locked = <T>(ref: ItemRef, fn: () => Promise<T>) => lock(itemKey(ref), fn);

  /** Views seen move the clock past them: rows written after reading a view sort after it, whatever this server's clock says. */
  const seen = (views: ClaimView[]) => {
    for (const v of views) seq.observe(v.seq);
    return views;
  };

  async function viewOf(ref: ItemRef): Promise<ClaimView | undefined> {
    return seen(await claimViews(client, schema, [ref.eventId])).find((v) => v.target === ref.target);
  }

  async function rowOf(t: NewTransition, basis: number): Promise<TransitionRow> {
    return {
      event_id: t.ref.eventId,
      target: t.ref.target,
      seq: await seq.next(),
      job_id: t.jobId,
      state: t.state,
      attempt: t.attempt,
      idempotency_key: t.idempotencyKey,
      actor: t.actor,
      http_status: t.httpStatus ?? 0,
      detail: t.detail ?? '',
      at: clock(),
      instance,
      basis,
    };
  }

  async function append(t: NewTransition): Promise<TransitionRow> {
    const row = await rowOf(t, 0);
    await insertTransitions(client, schema, [row]);
    return row;
  }

  /** The compare-and-set: `t` stored as the change decided on `view`, or undefined when another server's change won. */
  async function change(view: ClaimView | undefined, t: NewTransition): Promise<TransitionRow | undefined> {
    const basis = (view?.seq ?? 0) + 1;
    const row = await rowOf(t, basis);
    await insertTransitions(client, schema, [row], `change:${t.ref.eventId}|${t.ref.target}|${basis}`);
    const kept = await changesDecidedOn(client, schema, t.ref, basis);
    return kept.length === 1 && kept[0]!.instance === instance && kept[0]!.seq === row.seq ? row : undefined;
  }

  return {
    current: async (eventIds) => {
      const views = new Map<string, ClaimView>();
      // Bounded parameter sizes: a bulk job asks for up to 10,000 events.
      for (let i = 0; i < eventIds.length; i += 2_000) {
        for (const view of seen(await claimViews(client, schema, eventIds.slice(i, i + 2_000)))) views.set(itemKey(view), view);
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
        if (await change(view, { ref, jobId, state: 'claimed', attempt, idempotencyKey, actor })) return { ok: true, attempt };
        // Another server's change won: whoever it names holds the item (not yet visible here: someone does).
        const now = await viewOf(ref);
        const after = holdOf(now, jobId);
        if (after.kind === 'held') return { ok: false, hold: after };
        return after.kind === 'own' ? { ok: true, attempt: now!.attempt } : { ok: false, hold: { kind: 'held', reason: 'in_progress', jobId: now?.jobId ?? '' } };
      }),
    append,
    appendIf: (ref, allowed, make) =>
      locked(ref, async () => {
        const view = await viewOf(ref);
        return allowed(view) ? change(view, make(view)) : undefined;
      }),
    unsettled: async () => seen(await unsettledClaims(client, schema)),
  };
}
