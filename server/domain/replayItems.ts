import { ITEM_STATES, JOB_STATES } from '../contracts/replayApi.js';

export { ITEM_STATES, JOB_STATES };

/**
 * The replay of one (event, target) as a state machine over its append-only transitions (migration 0011), and
 * the state of replay jobs. Pure: the claim store, worker and service decide with these.
 *
 *   claimed → sending → applied | rejected | unknown | refused | blocked      (cancelled: released before sending)
 *   unknown | sending (after a crash) → settled_applied | settled_not_applied  (by the target's lookup only)
 *
 * `skipped` and `recorded` rows are notes (a job's decision, the replay step written) that never change who holds
 * the item: its claim state is its latest other row.
 */

export type ItemState = (typeof ITEM_STATES)[number];
export const NOTE_STATES = ['skipped', 'recorded'] as const satisfies readonly ItemState[];
/** What an item of a job shows: its latest transition in that job, or `pending` / `not_run` when the job never reached it. */
export type JobItemState = Exclude<ItemState, 'recorded'> | 'pending' | 'not_run';

export type JobState = (typeof JOB_STATES)[number];
export const OPEN_JOB_STATES = ['awaiting_approval', 'queued', 'running'] as const satisfies readonly JobState[];

/** An item's claim: its latest transition other than a note, and what the store knows around it. */
export type ClaimView = {
  eventId: string;
  target: string;
  state: Exclude<ItemState, 'skipped' | 'recorded'>;
  jobId: string;
  /** Attempt of the latest row; `sends` counts the `sending` rows ever written (the next send is sends + 1). */
  attempt: number;
  sends: number;
  idempotencyKey: string;
  at: number;
  seq: number;
  httpStatus: number;
  detail: string;
  /** The server that wrote the latest row ('' before migration 0017). */
  instance: string;
  /** Sequence of the latest `recorded` note (0: none). */
  recordedSeq: number;
};

export type HoldReason = 'already_applied' | 'in_progress' | 'unknown_outcome';
/** Whether `jobId` may claim an item: free, already its own claim, or held (done, under way, or awaiting a decision). */
export type Hold = { kind: 'free' } | { kind: 'own' } | { kind: 'held'; reason: HoldReason; jobId: string };

export function holdOf(view: ClaimView | undefined, jobId: string): Hold {
  if (view === undefined) return { kind: 'free' };
  switch (view.state) {
    case 'cancelled':
    case 'refused':
    case 'blocked':
    case 'rejected':
    case 'settled_not_applied':
      return { kind: 'free' };
    case 'claimed':
      return view.jobId === jobId ? { kind: 'own' } : { kind: 'held', reason: 'in_progress', jobId: view.jobId };
    case 'sending':
      return { kind: 'held', reason: 'in_progress', jobId: view.jobId };
    case 'unknown':
      return { kind: 'held', reason: 'unknown_outcome', jobId: view.jobId };
    case 'applied':
    case 'settled_applied':
      return { kind: 'held', reason: 'already_applied', jobId: view.jobId };
  }
}

/** An applied (or rejected) result whose replay step is not written yet. */
export function needsRecording(view: ClaimView): boolean {
  return (view.state === 'applied' || view.state === 'settled_applied' || view.state === 'rejected') && view.recordedSeq < view.seq;
}

/**
 * What a start does with an item a previous run left: `sending`/`unknown` may have reached the target, so only
 * the target's lookup settles them; `claimed` was never sent (`sending` is on disk before any byte goes out), so
 * its job simply goes on, or the claim is released when the job is no longer open.
 */
export function recoveryPlan(view: ClaimView, jobOpen: boolean): 'lookup' | 'resume' | 'release' | 'record' | 'none' {
  if (view.state === 'sending' || view.state === 'unknown') return 'lookup';
  if (view.state === 'claimed') return jobOpen ? 'resume' : 'release';
  return needsRecording(view) ? 'record' : 'none';
}

/** The transition a lookup answer settles an uncertain item with (`unknown` again: still an operator's decision). */
export function settledBy(lookup: 'applied' | 'not_applied' | 'unknown'): 'settled_applied' | 'settled_not_applied' | 'unknown' {
  return lookup === 'applied' ? 'settled_applied' : lookup === 'not_applied' ? 'settled_not_applied' : 'unknown';
}

/** Transitions that end a job's work on an item (anything else is resumed: claimed, or settled not applied). */
const FINISHED_IN_JOB: ReadonlySet<string> = new Set(['applied', 'rejected', 'unknown', 'refused', 'blocked', 'skipped', 'cancelled', 'settled_applied']);

export function finishedInJob(state: JobItemState): boolean {
  return FINISHED_IN_JOB.has(state);
}

/** How an item of a job reads: its latest transition in the job, else `pending` (open job), `cancelled` or `not_run`. */
export function jobItemState(latestInJob: ItemState | undefined, jobState: JobState): JobItemState {
  if (latestInJob !== undefined && latestInJob !== 'recorded') return latestInJob;
  if (jobState === 'cancelled') return 'cancelled';
  return jobState === 'done' || jobState === 'failed' ? 'not_run' : 'pending';
}

/** Items of a job counted by state (every state present, zero when none). */
export function countByState(states: Iterable<JobItemState>): Record<JobItemState, number> {
  const counts = Object.fromEntries([...ITEM_STATES.filter((s) => s !== 'recorded'), 'pending', 'not_run'].map((s) => [s, 0])) as Record<JobItemState, number>;
  for (const state of states) counts[state]++;
  return counts;
}

export type JobFacts = { state: JobState; requestedBy: string; approvalFlows: readonly string[] };
export type Refusal = { status: 403 | 409; code: string; message: string };

/** Four-eyes: only a job awaiting approval, and only by someone other than who asked for it. */
export function approvalRefusal(job: JobFacts, actor: string): Refusal | undefined {
  if (job.state !== 'awaiting_approval') return { status: 409, code: 'not_awaiting_approval', message: `the job is ${job.state}; only a job awaiting approval can be approved` };
  if (sameActor(job.requestedBy, actor)) {
    return {
      status: 403,
      code: 'same_approver',
      message: `${actor} requested this replay; a second, different operator must approve it (four-eyes for ${job.approvalFlows.join(', ')})`,
    };
  }
  return undefined;
}

export function cancelRefusal(job: Pick<JobFacts, 'state'>): Refusal | undefined {
  if ((OPEN_JOB_STATES as readonly string[]).includes(job.state)) return undefined;
  return { status: 409, code: 'not_cancellable', message: `the job is already ${job.state}` };
}

/** Operators are told apart case-insensitively and without surrounding spaces (`Ana` approving `ana ` is the same person). */
function sameActor(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
