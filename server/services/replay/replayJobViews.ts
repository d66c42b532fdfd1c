import type { JobItem, ReplayJob, ReplayJobDetail } from '../../contracts/replayApi.js';
import { jobItemState } from '../../domain/replayItems.js';
import { AppError } from '../../errors.js';
import { jobHistories, jobItems, type JobRow } from '../../store/queries/replayJobs.js';
import { jobItemOutcomes, jobStateCounts } from '../../store/queries/replayTransitions.js';
import type { EngineDeps } from './replayEngine.js';
import type { JobProgress } from './jobProgress.js';

/** The live progress of a job running in this process, if it is. */
export type ProgressOf = (jobId: string) => JobProgress | undefined;

/**
 * A job as the API shows it, from its transitions (oldest first) and its reached items counted by state: items
 * not reached yet are `pending` while the job is open, `cancelled` once it is cancelled, `not_run` after it ended.
 */
export function jobView(history: readonly JobRow[], reached: Record<string, number>, live: JobProgress | undefined): ReplayJob {
  const first = history[0]!;
  const last = history[history.length - 1]!;
  const approval = history.findIndex((h) => h.state === 'awaiting_approval');
  const approvedRow = approval === -1 ? undefined : history.slice(approval + 1).find((h) => h.state === 'queued');
  const counts: Record<string, number> = live ? { ...live.counts } : { ...reached };
  if (!live) {
    const unreached = first.item_count - Object.values(reached).reduce((a, b) => a + b, 0);
    const as = jobItemState(undefined, last.state);
    if (unreached > 0) counts[as] = (counts[as] ?? 0) + unreached;
  }
  return {
    id: first.job_id,
    state: last.state,
    requested_by: first.requested_by,
    reason: first.reason,
    created_at: first.created_at,
    updated_at: last.at,
    selection: JSON.parse(first.selection) as unknown,
    approval_flows: first.approval_flows,
    approved_by: approvedRow?.actor ?? null,
    cancelled_by: history.find((h) => h.state === 'cancelled')?.actor ?? null,
    item_count: first.item_count,
    counts: Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)),
    needs_decision: counts.unknown ?? 0,
    current: live?.current ?? null,
    history: history.map((h) => ({ state: h.state, actor: h.actor, note: h.note === '' ? null : h.note, at: h.at })),
  };
}

/** These jobs, in the order asked. */
export async function readJobs(deps: EngineDeps, ids: readonly string[], progressOf: ProgressOf): Promise<ReplayJob[]> {
  const histories = new Map<string, JobRow[]>();
  for (const row of await jobHistories(deps.client, deps.schema, ids)) (histories.get(row.job_id) ?? histories.set(row.job_id, []).get(row.job_id)!).push(row);
  const counts = await jobStateCounts(deps.client, deps.schema, ids);
  return ids.flatMap((id) => {
    const history = histories.get(id);
    return history ? [jobView(history, counts.get(id) ?? {}, progressOf(id))] : [];
  });
}

export async function readJob(deps: EngineDeps, id: string, progressOf: ProgressOf): Promise<ReplayJob> {
  const [job] = await readJobs(deps, [id], progressOf);
  if (!job) throw new AppError(404, 'job_not_found', `no replay job ${id}`);
  return job;
}

/** The job with a page of its items, each with its outcome in this job. */
export async function readJobDetail(deps: EngineDeps, id: string, page: { limit: number; offset: number }, progressOf: ProgressOf): Promise<ReplayJobDetail> {
  const job = await readJob(deps, id, progressOf);
  const items = await jobItems(deps.client, deps.schema, id, page);
  const outcomes = new Map((await jobItemOutcomes(deps.client, deps.schema, id, items.map((i) => i.event_id))).map((o) => [`${o.event_id}|${o.target}`, o]));
  return {
    ...job,
    offset: page.offset,
    items: items.map((item): JobItem => {
      const outcome = outcomes.get(`${item.event_id}|${item.target}`);
      return {
        position: item.position,
        event_id: item.event_id,
        target: item.target,
        flow: item.flow,
        correlation_id: item.correlation_id,
        step: item.step,
        occurred_at: item.event_occurred_at,
        idempotency_key: item.idempotency_key,
        state: jobItemState(outcome?.state, job.state),
        attempt: outcome && outcome.attempt > 0 ? outcome.attempt : null,
        http_status: outcome && outcome.http_status > 0 ? outcome.http_status : null,
        detail: outcome && outcome.detail !== '' ? outcome.detail : null,
        at: outcome?.at ?? null,
        recorded: outcome?.recorded ?? false,
      };
    }),
  };
}
