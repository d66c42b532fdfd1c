import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import type { DryRun, ReplayJob, ReplayJobDetail, ReplayJobList, ReplayProgress, ReplaySelection } from '../../contracts/replayApi.js';
import { approvalRefusal, cancelRefusal, countByState, OPEN_JOB_STATES, type JobState, type Refusal } from '../../domain/replayItems.js';
import { approvalFlows, idempotencyKeyFor, MAX_REPLAY_ITEMS, SKIP_REASONS, type ItemPlan, type SkipReason } from '../../domain/replayPlan.js';
import { AppError } from '../../errors.js';
import { appendJobRow, insertJobItems, jobItems, jobPage, jobsInStates, maxJobSeq, type JobRow } from '../../store/queries/replayJobs.js';
import type { Schema } from '../../store/schema.js';
import { keyedLock } from '../keyedLock.js';
import { createJobLeases, type JobLeases } from './jobLeases.js';
import { createClickHouseClaims, createSequencer, itemKey, type ReplayClaims } from './replayClaims.js';
import { sleep, type EngineDeps, type IngestSteps, type ReplayLogger, type ReplayPausePoint } from './replayEngine.js';
import { readJob, readJobDetail, readJobs } from './replayJobViews.js';
import type { Delivery, ReplayTarget } from './replayPorts.js';
import { originalOf, recordResult, recoverItems, type RecoveryReport } from './replayRecording.js';
import { planCandidates, selectCandidates, showPlanned } from './replaySelection.js';
import { createReplayWorker, type WorkerOptions } from './replayWorker.js';

export type ReplayServiceDeps = {
  client: ClickHouseClient;
  schema: Schema;
  delivery: Delivery;
  targets: readonly ReplayTarget[];
  /** Flows whose jobs wait for a second operator (`config.replayFourEyesFlows`). */
  fourEyesFlows: readonly string[];
  /** The API's ingest path, e.g. `(events) => ingestor.ingest('replay', events.map((value, index) => ({ index, value })), 'flowlens')`. */
  ingest: IngestSteps;
  logger: ReplayLogger;
  clock?: () => number;
  /** A job's progress (counts per state, current item), a few a second while it runs: wire to socket.io. */
  onProgress?: (progress: ReplayProgress) => void;
  /** This server among those sharing the store (default: host, process id and a random suffix). */
  instance?: string;
  /** Default: the ClickHouse tables of migrations 0011 and 0017. */
  claims?: ReplayClaims;
  /** Default: the leases of migration 0017 (`replay_job_leases`), for `instance`. */
  leases?: JobLeases;
  worker?: Partial<WorkerOptions>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A job taken over from a server that stopped renewing its lease (crashed, froze), with what settling it found. */
  onTakeover?: (jobId: string, report: RecoveryReport) => void;
  /** Test-only: hold at a named point so a crash test can kill the process there (replayEngine.ts). */
  crashTestPause?: (point: ReplayPausePoint, ref: { eventId: string; target: string }) => Promise<void>;
};

export type ReplayDecision = { event_id: string; target: string; outcome: 'applied' | 'not_applied'; note: string };

export type ReplayService = {
  /** Settle what an earlier run left, then start the worker. Call once the collectors started (the spool is loaded). */
  start(): Promise<RecoveryReport>;
  /** Stop the worker; a send under way finishes, the job resumes at the next start. */
  stop(): Promise<void>;
  dryRun(selection: ReplaySelection, page: { limit: number; offset: number }): Promise<DryRun>;
  /** A job for the selection: queued, or awaiting approval for finance flows. A single event already claimed: 409. */
  create(selection: ReplaySelection, reason: string, actor: string): Promise<ReplayJob>;
  list(page: { limit: number; offset: number; states?: readonly JobState[] }): Promise<ReplayJobList>;
  get(id: string, page: { limit: number; offset: number }): Promise<ReplayJobDetail>;
  /** Four-eyes: a different operator than the requester (403 otherwise). */
  approve(id: string, actor: string, note?: string): Promise<ReplayJob>;
  /** Stops before the next item; resolves once nothing more of the job will be sent. */
  cancel(id: string, actor: string, note?: string): Promise<ReplayJob>;
  /** An operator settles an item whose outcome is unknown (no lookup could). */
  decide(id: string, decision: ReplayDecision, actor: string): Promise<ReplayJob>;
};

const DEFAULT_WORKER: WorkerOptions = { maxSends: 3, maxRefusals: 5, maxRetryAfterMs: 60_000, lookupDelaysMs: [1_000, 5_000], progressEveryMs: 250, leaseMs: 30_000 };
/** Lookups a dry run asks at most (each is a request to the target, rate-limited): the rest are asked when sent. */
const MAX_DRY_RUN_LOOKUPS = 20;

/**
 * The replay engine (issue 7): dry runs, jobs with durable per-item claims (exactly one delivery per event and
 * target, however many ask), four-eyes approval for finance flows, a worker that sends, settles lost answers by
 * lookup only and writes every result back as a replay step, and recovery of what a crash left.
 */
export function createReplayService(deps: ReplayServiceDeps): ReplayService {
  const clock = deps.clock ?? Date.now;
  const instance = deps.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const options = { ...DEFAULT_WORKER, ...deps.worker };
  const engine: EngineDeps = {
    client: deps.client,
    schema: deps.schema,
    claims: deps.claims ?? createClickHouseClaims(deps.client, deps.schema, clock, instance),
    leases: deps.leases ?? createJobLeases(deps.client, deps.schema, { instance, leaseMs: options.leaseMs, clock }),
    delivery: deps.delivery,
    targets: new Map(deps.targets.map((t) => [t.name, t])),
    ingest: deps.ingest,
    clock,
    logger: deps.logger,
    nextJobSeq: createSequencer(clock, () => maxJobSeq(deps.client, deps.schema)).next,
    lockJob: keyedLock(),
    onTakeover: deps.onTakeover,
    crashTestPause: deps.crashTestPause,
    sleep: deps.sleep ?? sleep,
  };
  const publish = (progress: ReplayProgress) => {
    try {
      deps.onProgress?.(progress);
    } catch (err) {
      deps.logger.warn({ err }, 'replay progress listener failed');
    }
  };
  const worker = createReplayWorker(engine, publish, options);
  const { lockJob } = engine;

  async function appendState(job: ReplayJob, state: JobState, actor: string, note: string): Promise<void> {
    const row: JobRow = {
      job_id: job.id,
      seq: await engine.nextJobSeq(),
      state,
      actor,
      note,
      at: clock(),
      created_at: job.created_at,
      requested_by: job.requested_by,
      reason: job.reason,
      selection: JSON.stringify(job.selection),
      approval_flows: job.approval_flows,
      item_count: job.item_count,
    };
    await appendJobRow(deps.client, deps.schema, row);
  }

  async function announce(id: string): Promise<ReplayJob> {
    const job = await readJob(engine, id, worker.progress);
    publish({ job_id: job.id, state: job.state, item_count: job.item_count, counts: job.counts, current: job.current, at: clock() });
    return job;
  }

  const refuse = (r: Refusal) => new AppError(r.status, r.code, r.message);

  return {
    async start() {
      const open = new Set(await jobsInStates(deps.client, deps.schema, OPEN_JOB_STATES));
      const report = await recoverItems(engine, open);
      if (Object.values(report).some((n) => n > 0)) deps.logger.info(report, 'replay items left by an earlier run settled');
      if (report.unknown > 0) deps.logger.warn({ unknown: report.unknown }, 'replay items whose outcome is unknown need an operator decision');
      worker.start();
      return report;
    },
    stop: () => worker.stop(),

    async dryRun(selection, page) {
      const candidates = await selectCandidates(engine, selection);
      let lookups = 0;
      const inPage = (i: number) => i >= page.offset && i < page.offset + page.limit;
      const planned = await planCandidates(engine, candidates, '', (i) => inPage(i) && lookups++ < MAX_DRY_RUN_LOOKUPS);
      const skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
      for (const p of planned) if (p.plan.action === 'skip') skipped[p.plan.reason]++;
      return {
        at: clock(),
        total: planned.length,
        send: planned.filter((p) => p.plan.action === 'send').length,
        skipped,
        approval_flows: approvalFlows(candidates.map((c) => c.flow), deps.fourEyesFlows),
        max_items: MAX_REPLAY_ITEMS,
        offset: page.offset,
        items: await showPlanned(engine, planned.filter((_, i) => inPage(i))),
      };
    },

    async create(selection, reason, actor) {
      const candidates = await selectCandidates(engine, selection);
      if (candidates.length === 0) throw new AppError(422, 'nothing_selected', 'no failed or dead-lettered events match the selection');
      const id = `rpl-${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      if (selection.kind !== 'filter') {
        // One event: claimed now, so concurrent requests for it get one job and 409s, and a job awaiting approval holds it.
        const [p] = await planCandidates(engine, candidates, id);
        if (p!.plan.action === 'skip') throw skipRefusal(p!.plan);
        const claim = await engine.claims.claim({ eventId: p!.candidate.event_id, target: p!.candidate.replay_target }, id, p!.key!, actor);
        if (!claim.ok) throw skipRefusal({ action: 'skip', reason: claim.hold.reason, jobId: claim.hold.jobId, message: `held by job ${claim.hold.jobId}` });
      }
      const flows = approvalFlows(candidates.map((c) => c.flow), deps.fourEyesFlows);
      await insertJobItems(
        deps.client,
        deps.schema,
        candidates.map((c, position) => ({
          job_id: id,
          position,
          event_id: c.event_id,
          target: c.replay_target,
          idempotency_key: c.replay_target === '' ? '' : idempotencyKeyFor(c.event_id, c.replay_target, c.payload_key),
          flow: c.flow,
          correlation_id: c.correlation_id,
          step: c.step,
          event_occurred_at: c.occurred_at,
        })),
      );
      const now = clock();
      const draft: ReplayJob = {
        id,
        state: 'queued',
        requested_by: actor,
        reason,
        created_at: now,
        updated_at: now,
        selection,
        approval_flows: flows,
        approved_by: null,
        cancelled_by: null,
        item_count: candidates.length,
        counts: countByState([]),
        needs_decision: 0,
        current: null,
        history: [],
      };
      await appendState(draft, flows.length > 0 ? 'awaiting_approval' : 'queued', actor, flows.length > 0 ? `awaiting a second operator's approval (${flows.join(', ')})` : '');
      worker.wake();
      return announce(id);
    },

    async list(page) {
      const { ids, total } = await jobPage(deps.client, deps.schema, page);
      return { total, offset: page.offset, jobs: await readJobs(engine, ids, worker.progress) };
    },
    get: (id, page) => readJobDetail(engine, id, page, worker.progress),

    approve: (id, actor, note) =>
      lockJob(id, async () => {
        const job = await readJob(engine, id, worker.progress);
        const refusal = approvalRefusal({ state: job.state, requestedBy: job.requested_by, approvalFlows: job.approval_flows }, actor);
        if (refusal) throw refuse(refusal);
        await appendState(job, 'queued', actor, note ?? 'approved');
        worker.wake();
        return announce(id);
      }),

    async cancel(id, actor, note) {
      const refusal = cancelRefusal(await readJob(engine, id, worker.progress));
      if (refusal) throw refuse(refusal);
      // Outside the job's lock: the worker finishes the item under way, and takes the lock itself to end the job.
      await worker.cancel(id);
      return lockJob(id, async () => {
        const job = await readJob(engine, id, worker.progress);
        const late = cancelRefusal(job);
        if (late) throw refuse(late);
        await appendState(job, 'cancelled', actor, note ?? '');
        await releaseClaims(id, actor);
        return announce(id);
      });
    },

    async decide(id, decision, actor) {
      await readJob(engine, id, worker.progress);
      const ref = { eventId: decision.event_id, target: decision.target };
      const state = decision.outcome === 'applied' ? 'settled_applied' : 'settled_not_applied';
      const row = await engine.claims.appendIf(
        ref,
        (v) => v?.state === 'unknown' && v.jobId === id,
        (v) => ({ ref, jobId: id, state, attempt: v!.attempt, idempotencyKey: v!.idempotencyKey, actor, detail: `decided by ${actor}: ${decision.note}` }),
      );
      if (!row) throw new AppError(409, 'not_unknown', `item ${decision.event_id} → ${decision.target} of job ${id} is not awaiting a decision (only an unknown outcome is decided by an operator)`);
      if (state === 'settled_applied') {
        const original = await originalOf(engine, { jobId: id, eventId: decision.event_id });
        if (original) await recordResult(engine, { ref, jobId: id, attempt: row.attempt, idempotencyKey: row.idempotency_key, original, result: { kind: 'applied', at: row.at }, checkStored: true });
      }
      return announce(id);
    },
  };

  /** Claims a cancelled job still holds without having sent (a single event claimed when the job was created) are given back. */
  async function releaseClaims(id: string, actor: string) {
    const items = await jobItems(deps.client, deps.schema, id);
    const claims = await engine.claims.current(items.map((i) => i.event_id));
    for (const item of items) {
      const ref = { eventId: item.event_id, target: item.target };
      const view = claims.get(itemKey(ref));
      if (view?.state !== 'claimed' || view.jobId !== id) continue;
      await engine.claims.appendIf(
        ref,
        (v) => v?.state === 'claimed' && v.jobId === id,
        (v) => ({ ref, jobId: id, state: 'cancelled', attempt: v!.attempt, idempotencyKey: v!.idempotencyKey, actor, detail: 'the job was cancelled' }),
      );
    }
  }
}

/** Why one event cannot be replayed now: 409 when a replay holds it (naming the job), 422 otherwise. */
function skipRefusal(plan: Extract<ItemPlan, { action: 'skip' }>): AppError {
  if (plan.reason === 'already_applied') return new AppError(409, 'already_replayed', `already replayed by job ${plan.jobId}`, { details: [{ field: 'job_id', message: plan.jobId ?? '' }] });
  if (plan.reason === 'in_progress' || plan.reason === 'unknown_outcome') {
    return new AppError(409, 'in_progress', `a replay of this event is in progress in job ${plan.jobId}${plan.reason === 'unknown_outcome' ? ' (its outcome awaits an operator decision)' : ''}`, {
      details: [{ field: 'job_id', message: plan.jobId ?? '' }],
    });
  }
  return new AppError(422, 'not_replayable', plan.message, { details: [{ field: 'selection', message: `${plan.reason}: ${plan.message}` }] });
}
