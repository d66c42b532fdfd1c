import type { QueryClient } from '@tanstack/react-query';
import type { ReplayJob, ReplayJobList, ReplayProgress } from '../api/contracts';
import { REPLAYS_KEY } from '../api/queryKeys';

/** Job states after which nothing more is sent: the job's items and outcomes are read again once. */
const ENDED: readonly string[] = ['done', 'cancelled', 'failed'];

/** A job as a `replay_progress` push says it is now: its state, counts per item state and current item. */
export function withProgress<J extends ReplayJob>(job: J, progress: ReplayProgress): J {
  if (job.id !== progress.job_id) return job;
  const counts = Object.fromEntries(Object.entries(progress.counts).filter(([, n]) => n > 0));
  return { ...job, state: progress.state, item_count: progress.item_count, counts, current: progress.current, needs_decision: counts.unknown ?? 0 };
}

/** A page of jobs with one job's progress applied; the same object when the job is not on it. */
export function listWithProgress(list: ReplayJobList, progress: ReplayProgress): ReplayJobList {
  if (!list.jobs.some((j) => j.id === progress.job_id)) return list;
  return { ...list, jobs: list.jobs.map((j) => withProgress(j, progress)) };
}

function isJobList(data: unknown): data is ReplayJobList {
  return typeof data === 'object' && data !== null && Array.isArray((data as ReplayJobList).jobs);
}

function isJob(data: unknown): data is ReplayJob {
  return typeof data === 'object' && data !== null && typeof (data as ReplayJob).id === 'string' && typeof (data as ReplayJob).counts === 'object';
}

/**
 * Write a push into the cached replay answers (STYLE.md: pushes update the cache, not a parallel store): every
 * job list and job detail holding the job shows its new counts at once. A job no cached list holds yet (another
 * operator's) makes the lists ask again; a job that ended has its items and outcomes read again.
 */
export function applyReplayProgress(client: QueryClient, progress: ReplayProgress): void {
  let listed = false;
  for (const [key, data] of client.getQueriesData({ queryKey: REPLAYS_KEY })) {
    if (isJobList(data)) {
      const next = listWithProgress(data, progress);
      if (next !== data) {
        listed = true;
        client.setQueryData(key, next);
      }
    } else if (isJob(data) && data.id === progress.job_id) {
      client.setQueryData(key, withProgress(data, progress));
    }
  }
  if (!listed) void client.invalidateQueries({ queryKey: [...REPLAYS_KEY, 'jobs'] });
  if (ENDED.includes(progress.state)) void client.invalidateQueries({ queryKey: [...REPLAYS_KEY, 'job', progress.job_id] });
}
