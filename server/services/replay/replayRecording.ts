import { needsRecording, recoveryPlan, settledBy, type ClaimView } from '../../domain/replayItems.js';
import { replayStepEvent, type ReplayResult } from '../../domain/replayPlan.js';
import { eventStored, replayEvents, type ReplayEventRow } from '../../store/queries/replayEvents.js';
import { jobItemsOfEvents } from '../../store/queries/replayJobs.js';
import { itemKey, type ItemRef } from './replayClaims.js';
import type { EngineDeps } from './replayEngine.js';

/**
 * Writing results back (a replay step through ingest, then a `recorded` note) and settling what a crashed run
 * left behind. Nothing here sends a document: an item that may have reached its target is settled only by the
 * target's lookup, and one that cannot be settled stays `unknown` for an operator.
 */

const INGEST_TRIES = 4;

export type RecordArgs = {
  ref: ItemRef;
  jobId: string;
  attempt: number;
  idempotencyKey: string;
  original: ReplayEventRow;
  result: ReplayResult;
  /** After a crash the step may be stored already (loaded from the spool at start): look before writing it again. */
  checkStored?: boolean;
};

/**
 * Write the replay step of a result through ingest and note it `recorded`. False when ingest would not take it
 * now (the item keeps needing it, and the next start writes it); the step's fixed id makes a repeat harmless.
 */
export async function recordResult(deps: EngineDeps, args: RecordArgs): Promise<boolean> {
  const { ref } = args;
  const event = replayStepEvent(args.original, ref.target, args.result);
  const stored = { event_id: String(event.event_id), flow: args.original.flow, step: args.original.step, occurred_at: Number(event.occurred_at) };
  const already = args.checkStored === true && (await eventStored(deps.client, deps.schema, stored));
  if (!already) {
    await deps.crashTestPause?.('before_recording', ref);
    if (!(await ingestWithRetries(deps, event))) return false;
    await deps.crashTestPause?.('after_recording', ref);
  }
  await deps.claims.append({ ref, jobId: args.jobId, state: 'recorded', attempt: args.attempt, idempotencyKey: args.idempotencyKey, actor: 'flowlens', detail: stored.event_id });
  return true;
}

async function ingestWithRetries(deps: EngineDeps, event: Record<string, unknown>): Promise<boolean> {
  for (let i = 1; ; i++) {
    const outcome = await deps.ingest([event]);
    if (outcome.kind === 'stored') return true;
    if (outcome.kind === 'invalid') {
      deps.logger.error({ event_id: event.event_id, errors: outcome.response.errors }, 'replay step refused by ingest validation; the replay result stays unrecorded');
      return false;
    }
    if (i >= INGEST_TRIES) {
      deps.logger.warn({ event_id: event.event_id, reason: outcome.message }, 'replay step not written (ingest unavailable); it is written at the next start');
      return false;
    }
    await deps.sleep(Math.min(outcome.retryAfterSeconds, 5) * 1000);
  }
}

/** The result a claim holds, as its replay step records it. */
export function resultOf(view: ClaimView): ReplayResult | undefined {
  if (view.state === 'applied' || view.state === 'settled_applied') return { kind: 'applied', at: view.at };
  if (view.state === 'rejected') return { kind: 'rejected', at: view.at, attempt: view.attempt, httpStatus: view.httpStatus, message: view.detail };
  return undefined;
}

/**
 * Ask the target whether an uncertain item's key was applied and write what it says: `settled_applied` (then its
 * step), `settled_not_applied` (it may be sent again, with the same key), or `unknown` (no lookup, or no answer).
 */
export async function settleUncertain(deps: EngineDeps, view: ClaimView, original?: ReplayEventRow): Promise<'settled_applied' | 'settled_not_applied' | 'unknown'> {
  const ref = { eventId: view.eventId, target: view.target };
  const target = deps.targets.get(view.target);
  const lookup = target ? await deps.delivery.lookup(target, view.idempotencyKey) : { kind: 'unknown' as const, reason: `no replay target "${view.target}" is configured` };
  const next = settledBy(lookup.kind);
  if (next === 'unknown' && view.state === 'unknown') return next;
  const detail = lookup.kind === 'unknown' ? `outcome unknown: ${lookup.reason}` : `the target's lookup says ${lookup.kind === 'applied' ? 'applied' : 'not applied'}`;
  // Only the uncertain send itself is settled: if someone settled it meanwhile (an operator, another server), theirs stands.
  const row = await deps.claims.appendIf(
    ref,
    (v) => v !== undefined && v.jobId === view.jobId && v.attempt === view.attempt && (v.state === 'sending' || v.state === 'unknown'),
    () => ({ ref, jobId: view.jobId, state: next, attempt: view.attempt, idempotencyKey: view.idempotencyKey, actor: 'flowlens', detail }),
  );
  if (!row) {
    const now = (await deps.claims.current([view.eventId])).get(itemKey(ref))?.state;
    return now === 'settled_applied' || now === 'settled_not_applied' ? now : 'unknown';
  }
  if (next === 'settled_applied') {
    const event = original ?? (await originalOf(deps, view));
    if (event) await recordResult(deps, { ref, jobId: view.jobId, attempt: view.attempt, idempotencyKey: view.idempotencyKey, original: event, result: { kind: 'applied', at: row.at }, checkStored: true });
  }
  return next;
}

/** The event a claim is about, found through its job's items. */
export async function originalOf(deps: EngineDeps, view: Pick<ClaimView, 'jobId' | 'eventId'>): Promise<ReplayEventRow | undefined> {
  const [item] = await jobItemsOfEvents(deps.client, deps.schema, view.jobId, [view.eventId]);
  if (!item) return undefined;
  const events = await replayEvents(deps.client, deps.schema, [{ event_id: item.event_id, flow: item.flow, step: item.step, occurred_at: item.event_occurred_at }]);
  return events.get(item.event_id);
}

export type RecoveryReport = { settledApplied: number; settledNotApplied: number; unknown: number; released: number; recorded: number };

/**
 * At start (after the ingest spool is loaded, so steps written before a crash are found): settle every item a
 * previous run left claimed, sending or unknown, and write the steps of results not recorded yet. Items of a job
 * another server runs now (its lease is live) are that server's; with `onlyJob`, only that job's items (a
 * takeover of a job whose server vanished).
 */
export async function recoverItems(deps: EngineDeps, openJobs: ReadonlySet<string>, onlyJob?: string): Promise<RecoveryReport> {
  const report: RecoveryReport = { settledApplied: 0, settledNotApplied: 0, unknown: 0, released: 0, recorded: 0 };
  const views = (await deps.claims.unsettled()).filter((v) => onlyJob === undefined || v.jobId === onlyJob);
  const elsewhere = await deps.leases.heldElsewhere(views.map((v) => v.jobId));
  for (const view of views) {
    if (elsewhere.has(view.jobId)) continue;
    const ref = { eventId: view.eventId, target: view.target };
    const plan = recoveryPlan(view, openJobs.has(view.jobId));
    if (plan === 'lookup') {
      const settled = await settleUncertain(deps, view);
      if (settled === 'settled_applied') report.settledApplied++;
      else if (settled === 'settled_not_applied') report.settledNotApplied++;
      else report.unknown++;
    } else if (plan === 'release') {
      const released = await deps.claims.appendIf(
        ref,
        (v) => v?.state === 'claimed' && v.jobId === view.jobId,
        () => ({ ref, jobId: view.jobId, state: 'cancelled', attempt: view.attempt, idempotencyKey: view.idempotencyKey, actor: 'flowlens', detail: 'released at start: its job is no longer open' }),
      );
      if (released) report.released++;
    } else if (plan === 'record' && needsRecording(view)) {
      const original = await originalOf(deps, view);
      const result = resultOf(view);
      if (original && result && (await recordResult(deps, { ref, jobId: view.jobId, attempt: view.attempt, idempotencyKey: view.idempotencyKey, original, result, checkStored: true }))) report.recorded++;
    }
  }
  return report;
}
