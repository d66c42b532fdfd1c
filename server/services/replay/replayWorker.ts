import { finishedInJob, holdOf, jobItemState, type ClaimView, type JobItemState } from '../../domain/replayItems.js';
import { contentTypeOf, planItem, type ItemPlan } from '../../domain/replayPlan.js';
import { lastSuccesses, replayEvents, stepKey, type ReplayEventRow } from '../../store/queries/replayEvents.js';
import { appendJobRow, jobHistories, jobItems, jobsInStates, type JobItemRow, type JobRow } from '../../store/queries/replayJobs.js';
import { jobItemOutcomes } from '../../store/queries/replayTransitions.js';
import { itemKey, type ItemRef, type NewTransition } from './replayClaims.js';
import { firstTaken, keepRenewing } from './jobLeases.js';
import { trackProgress, type JobProgress, type ProgressTracker } from './jobProgress.js';
import { excerpt, type EngineDeps } from './replayEngine.js';
import { recordResult, recoverItems, settleUncertain } from './replayRecording.js';

export type WorkerOptions = {
  /** Sends of one item within a job (a lookup saying "not applied" allows another), default 3. */
  maxSends: number;
  /** 429/503 answers of one item before the job moves on (it stays `refused`, free for a later job), default 5. */
  maxRefusals: number;
  /** Longest wait a Retry-After may ask for, default 60 s. */
  maxRetryAfterMs: number;
  /** Waits before asking the lookup about a lost answer, default [1 s, 5 s]. */
  lookupDelaysMs: readonly number[];
  /** Least time between two progress reports of a job, default 250 ms (the last is always reported). */
  progressEveryMs: number;
  /**
   * How long a job's lease lasts unless renewed (renewed every third of it), default 30 s: after a crash, another
   * server — or this one restarted — resumes the job once it expires.
   */
  leaseMs: number;
};

export type ReplayWorker = {
  start(): void;
  stop(): Promise<void>;
  /** A job was queued: look now rather than at the next poll. */
  wake(): void;
  /** Stop a job before its next item; resolves once none of it is being sent, or will be, by this worker. */
  cancel(jobId: string): Promise<void>;
  /** The live progress of the job running here (undefined when none is). */
  progress(jobId: string): JobProgress | undefined;
};

const POLL_MS = 5_000;
const CHUNK = 100;
const MAX_JOB_ERRORS = 5;
export const WORKER_ACTOR = 'flowlens';

/** Append a transition of the item being run (its ref, job, key and actor filled in) and count it. */
type Write = (t: Omit<NewTransition, 'ref' | 'jobId' | 'idempotencyKey' | 'actor'>) => Promise<{ at: number }>;

/** The lease this server holds on a job while it settles and runs it: its term, and when the store last confirmed it. */
type Hold = { jobId: string; term: number; confirmedAt: number; lost: boolean; abort: AbortController };

type Run = {
  jobId: string;
  job: JobRow;
  hold: Hold;
  progress: ProgressTracker;
  done: Promise<void>;
  abort: AbortController;
};

/**
 * One loop per process runs queued jobs, oldest first, one item at a time (each target's rate limit is the
 * delivery's). Per item: plan (skips), ask the lookup, claim durably, write `sending`, send, write the outcome,
 * write the replay step back. Cancel is checked before every claim and send; a send under way is finished.
 *
 * With several servers on one store, a job runs where its lease is (jobLeases.ts): the loop takes the lease of
 * the first queued or running job no other server holds, renews it while it runs, and stops the job — leaving it
 * to whoever takes the lease next — as soon as the lease cannot be confirmed for half its length. Before each
 * claim it reads the job's state, so a cancel made on another server stops it before the next item.
 */
export function createReplayWorker(deps: EngineDeps, onProgress: (progress: JobProgress) => void, options: WorkerOptions): ReplayWorker {
  let stopped = true;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  const cancelled = new Set<string>();
  let running: Run | undefined;

  const wake = () => wakeUp?.();
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      wakeUp = done;
    });

  const leaseDoubtful = (run: Run) => run.hold.lost || deps.clock() - run.hold.confirmedAt > options.leaseMs / 2;
  const halted = (run: Run) => stopped || cancelled.has(run.jobId) || leaseDoubtful(run);

  const note = (run: Run, ref: ItemRef, state: JobItemState) => run.progress.note(ref, state);

  async function runLoop() {
    const failures = new Map<string, number>();
    while (!stopped) {
      let next: { jobId: string; term: number; takeover: boolean } | undefined;
      try {
        next = await nextJob();
      } catch (err) {
        deps.logger.warn({ err }, 'replay worker could not read the job queue; trying again');
        await idle(2_000);
        continue;
      }
      if (next === undefined) {
        await idle(POLL_MS);
        continue;
      }
      const { jobId } = next;
      try {
        await runJob(next);
        failures.delete(jobId);
      } catch (err) {
        const n = (failures.get(jobId) ?? 0) + 1;
        failures.set(jobId, n);
        deps.logger.error({ err, job_id: jobId, failures: n }, 'replay job interrupted by an error; resuming it');
        if (n >= MAX_JOB_ERRORS) await failJob(jobId, err as Error).catch((e: unknown) => deps.logger.error({ err: e, job_id: jobId }, 'could not mark the replay job failed'));
        else await idle(2_000);
      }
    }
  }

  /** The oldest queued or running job whose lease this server could take (none: every one runs elsewhere). */
  async function nextJob(): Promise<{ jobId: string; term: number; takeover: boolean } | undefined> {
    const queue = (await jobsInStates(deps.client, deps.schema, ['running', 'queued'])).filter((id) => !cancelled.has(id));
    return firstTaken(deps.leases, queue);
  }

  function keepLease(hold: Hold): () => void {
    return keepRenewing(deps.leases, hold, {
      confirmed: () => (hold.confirmedAt = deps.clock()),
      lost: () => lose(hold, 'another server holds its lease now'),
      failed: (err) => deps.logger.warn({ err, job_id: hold.jobId }, 'could not renew the replay job lease; trying again'),
    });
  }

  function lose(hold: Hold, why: string) {
    if (hold.lost) return;
    hold.lost = true;
    hold.abort.abort();
    deps.logger.warn({ job_id: hold.jobId, term: hold.term }, `replay job stopped here: ${why}`);
  }

  /** Whether the job is still running by the store's account (a cancel may have come through another server). */
  async function stillRunning(run: Run): Promise<boolean> {
    const history = await jobHistories(deps.client, deps.schema, [run.jobId]);
    const state = history[history.length - 1]?.state;
    if (state === 'running' || state === 'queued') return true;
    cancelled.add(run.jobId);
    run.abort.abort();
    return false;
  }

  async function failJob(jobId: string, err: Error) {
    const [job] = (await jobHistories(deps.client, deps.schema, [jobId])).slice(-1);
    if (job) await appendJobRow(deps.client, deps.schema, { ...job, seq: await deps.nextJobSeq(), state: 'failed', actor: WORKER_ACTOR, note: excerpt(err.message, 500), at: deps.clock() });
  }

  async function runJob(lease: { jobId: string; term: number; takeover: boolean }) {
    const { jobId } = lease;
    // Renewed from the start: settling a takeover may take a while (lookups, writing results back).
    const hold: Hold = { jobId, term: lease.term, confirmedAt: deps.clock(), lost: false, abort: new AbortController() };
    const endLease = keepLease(hold);
    try {
      // The server that ran it vanished: what it left half-done (a send without its answer, a result not written
      // back) is settled before anything of the job is sent again.
      if (lease.takeover) {
        const report = await recoverItems(deps, new Set([jobId]), jobId);
        deps.logger.info({ job_id: jobId, term: lease.term, ...report }, 'replay job taken over from a server that stopped renewing its lease');
        deps.onTakeover?.(jobId, report);
      }
      await runLeased(hold);
    } finally {
      endLease();
      await deps.leases.release(jobId, lease.term).catch((err: unknown) => deps.logger.warn({ err, job_id: jobId }, 'could not release the replay job lease; it expires on its own'));
    }
  }

  async function runLeased(hold: Hold) {
    const { jobId } = hold;
    const job = await deps.lockJob(jobId, async () => {
      const history = await jobHistories(deps.client, deps.schema, [jobId]);
      const latest = history[history.length - 1];
      if (!latest || (latest.state !== 'queued' && latest.state !== 'running') || cancelled.has(jobId)) return undefined;
      if (latest.state === 'running') return latest;
      const started: JobRow = { ...latest, seq: await deps.nextJobSeq(), state: 'running', actor: WORKER_ACTOR, note: '', at: deps.clock() };
      await appendJobRow(deps.client, deps.schema, started);
      return started;
    });
    if (!job) return;
    const items = await jobItems(deps.client, deps.schema, jobId);
    const outcomes = new Map((await jobItemOutcomes(deps.client, deps.schema, jobId)).map((o) => [itemKey({ eventId: o.event_id, target: o.target }), o.state]));
    let finish!: () => void;
    const run: Run = {
      jobId,
      job,
      hold,
      progress: trackProgress(jobId, new Map(items.map((i) => [itemKey(refOf(i)), jobItemState(outcomes.get(itemKey(refOf(i))), 'running')])), {
        clock: deps.clock,
        everyMs: options.progressEveryMs,
        onProgress,
      }),
      done: new Promise<void>((resolve) => (finish = resolve)),
      abort: hold.abort,
    };
    running = run;
    try {
      const todo = items.filter((i) => !finishedInJob(run.progress.stateOf(refOf(i))!));
      for (let i = 0; i < todo.length && !halted(run); i += CHUNK) await runChunk(run, todo.slice(i, i + CHUNK));
      const summary = run.progress.summary();
      const ended = await deps.lockJob(jobId, async () => {
        if (halted(run) || !(await stillRunning(run))) return false;
        await appendJobRow(deps.client, deps.schema, { ...job, seq: await deps.nextJobSeq(), state: 'done', actor: WORKER_ACTOR, note: summary, at: deps.clock() });
        return true;
      });
      if (ended) run.progress.done();
    } finally {
      run.progress.flush();
      running = undefined;
      finish();
    }
  }

  async function runChunk(run: Run, chunk: readonly JobItemRow[]) {
    const refs = chunk.map((i) => ({ event_id: i.event_id, flow: i.flow, step: i.step, occurred_at: i.event_occurred_at, correlation_id: i.correlation_id }));
    const events = await replayEvents(deps.client, deps.schema, refs);
    const successes = await lastSuccesses(deps.client, deps.schema, refs);
    const claims = await deps.claims.current(chunk.map((i) => i.event_id));
    for (const item of chunk) {
      if (halted(run)) return;
      let view = claims.get(itemKey(refOf(item)));
      // A send of this job cut short by an error (not a crash: recovery settles those at start) is settled first.
      if (view?.state === 'sending' && view.jobId === run.jobId) {
        const settled = await settleUncertain(deps, view, events.get(item.event_id));
        note(run, refOf(item), settled);
        if (settled !== 'settled_not_applied') continue;
        view = { ...view, state: settled };
      }
      await runItem(run, item, events.get(item.event_id), successes.get(stepKey(item)) ?? 0, view);
    }
  }

  async function runItem(run: Run, item: JobItemRow, original: ReplayEventRow | undefined, lastOk: number, view: ClaimView | undefined) {
    const ref = refOf(item);
    const key = item.idempotency_key;
    const actor = run.job.requested_by;
    const base = { ref, jobId: run.jobId, idempotencyKey: key, actor };
    const write: Write = async (t) => {
      const row = await deps.claims.append({ ...base, ...t });
      if (t.state !== 'recorded') note(run, ref, t.state);
      return row;
    };
    const hold = holdOf(view, run.jobId);
    const target = deps.targets.get(item.target);
    const skip = async (plan: Extract<ItemPlan, { action: 'skip' }>) => {
      // A claim this job took when it was created (a single event) is given back before the skip is noted.
      if (hold.kind === 'own') await write({ state: 'cancelled', attempt: view!.attempt, detail: `released: ${plan.message}` });
      await write({ state: 'skipped', attempt: 0, detail: `${plan.reason}: ${plan.message}` });
    };
    if (!original) return skip({ action: 'skip', reason: 'no_payload', message: 'the event is no longer stored' });
    let plan = planItem(original, { targetConfigured: target !== undefined, hold, lastSuccessAt: lastOk });
    if (plan.action === 'send' && target?.lookupUrl !== undefined) {
      const lookup = await deps.delivery.lookup(target, key);
      plan = planItem(original, { targetConfigured: true, hold, lastSuccessAt: lastOk, keyApplied: lookup.kind === 'applied' });
    }
    if (plan.action === 'skip') return skip(plan);
    if (halted(run) || !(await stillRunning(run))) return;
    const claim = await deps.claims.claim(ref, run.jobId, key, actor);
    if (!claim.ok) return skip(planItem(original, { targetConfigured: true, hold: claim.hold, lastSuccessAt: 0 }) as Extract<ItemPlan, { action: 'skip' }>);
    note(run, ref, 'claimed');
    await sendClaimed(run, item, original, claim.attempt, write);
  }

  async function sendClaimed(run: Run, item: JobItemRow, original: ReplayEventRow, firstAttempt: number, write: Write) {
    const ref = refOf(item);
    const target = deps.targets.get(item.target)!;
    const key = item.idempotency_key;
    let attempt = firstAttempt;
    let refusals = 0;
    let sent = 0;
    for (;;) {
      // Stopping (or losing the lease) leaves the claim for whoever runs the job next; cancelling gives it back.
      if (stopped || leaseDoubtful(run)) return;
      if (cancelled.has(run.jobId)) {
        await write({ state: 'cancelled', attempt, detail: 'the job was cancelled before it was sent' });
        return;
      }
      // `sending` only from this job's claim, as one change: a release (a cancel on another server) or another
      // server's `sending` that won instead means this server sends nothing.
      const sending = await deps.claims.appendIf(
        ref,
        (v) => v?.state === 'claimed' && v.jobId === run.jobId,
        () => ({ ref, jobId: run.jobId, state: 'sending', attempt, idempotencyKey: key, actor: run.job.requested_by }),
      );
      if (!sending) return;
      note(run, ref, 'sending');
      await deps.crashTestPause?.('before_send', ref);
      // A pause here longer than half the lease (a frozen process) may have let another server take the job
      // over: it settles this send by lookup and sends itself, so this server must not send after all.
      if (leaseDoubtful(run)) return;
      const outcome = await deps.delivery.deliver({ target, idempotencyKey: key, contentType: contentTypeOf(original.payload), body: original.payload });
      const record = (result: Parameters<typeof recordResult>[1]['result']) =>
        recordResult(deps, { ref, jobId: run.jobId, attempt, idempotencyKey: key, original, result });
      switch (outcome.kind) {
        case 'applied': {
          await deps.crashTestPause?.('after_response', ref);
          const row = await write({ state: 'applied', attempt, httpStatus: outcome.status, detail: excerpt(outcome.body) });
          await record({ kind: 'applied', at: row.at });
          return;
        }
        case 'rejected': {
          const message = `${outcome.reason}${outcome.body === '' ? '' : `: ${excerpt(outcome.body, 500)}`}`;
          const row = await write({ state: 'rejected', attempt, httpStatus: outcome.status, detail: message });
          await record({ kind: 'rejected', at: row.at, attempt, httpStatus: outcome.status, message });
          return;
        }
        case 'blocked':
          await write({ state: 'blocked', attempt, detail: outcome.reason });
          return;
        case 'refused': {
          await write({ state: 'refused', attempt, httpStatus: outcome.status, detail: outcome.reason });
          if (++refusals > options.maxRefusals) return;
          await deps.sleep(Math.min(outcome.retryAfterMs, options.maxRetryAfterMs), run.abort.signal);
          break;
        }
        case 'unknown': {
          sent++;
          const lost = viewAfter(item, run.jobId, attempt);
          await write({ state: 'unknown', attempt, detail: outcome.reason });
          let settled: Awaited<ReturnType<typeof settleUncertain>> = 'unknown';
          for (const delay of target.lookupUrl === undefined ? [] : options.lookupDelaysMs) {
            await deps.sleep(delay, run.abort.signal);
            settled = await settleUncertain(deps, lost, original);
            if (settled !== 'unknown') break;
          }
          if (settled !== 'unknown') note(run, ref, settled);
          if (settled !== 'settled_not_applied' || sent >= options.maxSends) return;
          break;
        }
      }
      if (halted(run)) return;
      const again = await deps.claims.claim(ref, run.jobId, key, run.job.requested_by);
      if (!again.ok) {
        await write({ state: 'skipped', attempt: 0, detail: `${again.hold.reason}: held by job ${again.hold.jobId}` });
        return;
      }
      attempt = again.attempt;
      note(run, ref, 'claimed');
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop = runLoop();
    },
    async stop() {
      stopped = true;
      running?.abort.abort();
      wake();
      await loop;
    },
    wake,
    async cancel(jobId) {
      cancelled.add(jobId);
      const run = running;
      if (run?.jobId !== jobId) return;
      run.abort.abort();
      await run.done;
    },
    progress: (jobId) => (running?.jobId === jobId ? running.progress.snapshot() : undefined),
  };
}

function refOf(item: Pick<JobItemRow, 'event_id' | 'target'>): ItemRef {
  return { eventId: item.event_id, target: item.target };
}

/** The claim as it stands right after this job wrote `unknown` for it. */
function viewAfter(item: JobItemRow, jobId: string, attempt: number): ClaimView {
  return { eventId: item.event_id, target: item.target, state: 'unknown', jobId, attempt, sends: attempt, idempotencyKey: item.idempotency_key, at: 0, seq: 0, httpStatus: 0, detail: '', instance: '', recordedSeq: 0 };
}
