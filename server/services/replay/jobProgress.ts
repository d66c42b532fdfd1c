import { countByState, type JobItemState, type JobState } from '../../domain/replayItems.js';
import { itemKey, type ItemRef } from './replayClaims.js';

/** A job's progress as the live view shows it. */
export type JobProgress = {
  job_id: string;
  state: JobState;
  item_count: number;
  counts: Record<JobItemState, number>;
  current: { event_id: string; target: string; state: JobItemState } | null;
  at: number;
};

/** The progress of the job running here: each item's state in it, counted, reported a few times a second. */
export type ProgressTracker = {
  /** The item's state in the job (as the run started, or as it changed since). */
  stateOf(ref: ItemRef): JobItemState | undefined;
  /** An item moved to `state`: counted, and reported (at most one report per interval). */
  note(ref: ItemRef, state: JobItemState): void;
  /** The job is done: reported at once. */
  done(): void;
  /** Send a report held back by the interval, now (the run ends). */
  flush(): void;
  snapshot(): JobProgress;
  /** "3 applied, 1 skipped". */
  summary(): string;
};

export function trackProgress(
  jobId: string,
  states: Map<string, JobItemState>,
  options: { clock: () => number; everyMs: number; onProgress: (progress: JobProgress) => void },
): ProgressTracker {
  const progress: JobProgress = { job_id: jobId, state: 'running', item_count: states.size, counts: countByState(states.values()), current: null, at: options.clock() };
  let lastReport = 0;
  let trailing: NodeJS.Timeout | undefined;

  /** At most one report per `everyMs`; one skipped is sent when the interval ends, so the last state is always shown. */
  function report(force = false) {
    const now = options.clock();
    const wait = lastReport + options.everyMs - now;
    if (!force && wait > 0) {
      trailing ??= setTimeout(() => {
        trailing = undefined;
        report(true);
      }, wait);
      return;
    }
    clearTimeout(trailing);
    trailing = undefined;
    lastReport = now;
    progress.at = now;
    options.onProgress(structuredClone(progress));
  }

  report(true);
  return {
    stateOf: (ref) => states.get(itemKey(ref)),
    note(ref, state) {
      const key = itemKey(ref);
      const before = states.get(key);
      if (before !== undefined) progress.counts[before]--;
      progress.counts[state]++;
      states.set(key, state);
      progress.current = { event_id: ref.eventId, target: ref.target, state };
      report();
    },
    done() {
      progress.state = 'done';
      progress.current = null;
      report(true);
    },
    flush() {
      if (trailing) report(true);
    },
    snapshot: () => structuredClone(progress),
    summary: () =>
      Object.entries(progress.counts)
        .filter(([, n]) => n > 0)
        .map(([state, n]) => `${n} ${state}`)
        .join(', '),
  };
}
