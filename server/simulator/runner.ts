import { createStepDelivery, type Delivery, type DeliveryStats, type DeliveryTargets } from './deliver/stepDelivery.js';
import { REDELIVERY_GAP_MS, type SimStep } from './model.js';
import { createPlanner } from './plan/planner.js';
import { incidentsBetween, type Incident } from './scenarios.js';
import { computeTruth, type Truth } from './truth.js';

export type RunOptions = {
  scenario: string;
  seed: string;
  rate: number;
  /** Simulated start (epoch ms). */
  start: number;
  /** Length of the run; undefined runs until `signal` aborts (the demo). */
  durationMs?: number;
  incidentsAt: (t: number) => readonly Incident[];
  /**
   * `live`: simulated time is wall time and each step is sent when it happens. `fast`: a past period
   * replayed as fast as Flowlens takes it, timestamps as they were (for tests and backfills).
   */
  pace: 'live' | 'fast';
  targets: DeliveryTargets;
  signal?: AbortSignal;
  /** Keep every step for the ground truth (bounded runs only). */
  keepSteps?: boolean;
  onProgress?: (progress: RunProgress) => void;
  onError?: (err: Error) => void;
  /** Follow the trading week (default); false keeps every hour at the week's mean. */
  daily?: boolean;
  settleEveryMs?: number;
  journalEveryMs?: number;
  posEveryMs?: number;
};

export type RunProgress = { simulatedMs: number; totalMs?: number; events: number; messages: number; pushbacks: number };
export type RunResult = { truth?: Truth; stats: DeliveryStats; events: number; end: number };

/**
 * Plans the estate second by second and delivers each step when it is due. In `live` pace a window is sent
 * when the wall clock reaches it (a start in the past is caught up first: the demo's recent history); in
 * `fast` pace the next window goes as soon as the last one was accepted, so Flowlens's pushback (429/503,
 * Retry-After) paces the run.
 */
export async function runSimulation(options: RunOptions): Promise<RunResult> {
  const end = options.durationMs === undefined ? Number.POSITIVE_INFINITY : options.start + options.durationMs;
  const planner = createPlanner({ seed: options.seed, rate: options.rate, start: options.start, incidentsAt: options.incidentsAt, daily: options.daily, settleEveryMs: options.settleEveryMs, journalEveryMs: options.journalEveryMs, posEveryMs: options.posEveryMs });
  const delivery = createStepDelivery(options.targets);
  const kept: SimStep[] = [];
  let queue: Delivery[] = [];
  const sentIds = new Set<string>();
  let events = 0;
  for (let windowStart = options.start, windowEnd = options.start; windowStart < end && !options.signal?.aborted; windowStart = windowEnd) {
    // Live pace sends small windows as they happen; a live run that starts in the past catches up in big ones.
    windowEnd = Math.min(windowStart + (options.pace === 'live' && Date.now() - windowStart < 5_000 ? 250 : 2_000), end);
    if (options.pace === 'live') await sleepUntil(windowEnd, options.signal);
    const planned = planner.planUntil(windowEnd);
    if (options.keepSteps) kept.push(...planned);
    for (const step of planned) for (let copy = 1; copy <= step.copies; copy++) queue.push({ step, copy });
    queue.sort((a, b) => dueAt(a) - dueAt(b));
    const dueCount = queue.findIndex((d) => dueAt(d) >= windowEnd);
    const due = queue.splice(0, dueCount === -1 ? queue.length : dueCount);
    try {
      await delivery.deliver(due);
    } catch (err) {
      if (!options.onError) throw err;
      options.onError(err as Error);
    }
    for (const d of due) {
      if (d.copy > 1 || sentIds.has(d.step.event.event_id)) continue;
      sentIds.add(d.step.event.event_id);
      events++;
    }
    if (sentIds.size > 1_000_000) sentIds.clear(); // the demo runs for days; ids repeat only within minutes
    queue = queue.filter((d) => dueAt(d) < end);
    options.onProgress?.({ simulatedMs: windowEnd - options.start, totalMs: options.durationMs, events, messages: delivery.stats.messages, pushbacks: delivery.stats.pushbacks });
  }
  await delivery.finish();
  const finalEnd = Math.min(end, Date.now());
  const truth = options.keepSteps
    ? computeTruth({ scenario: options.scenario, seed: options.seed, rate: options.rate, start: options.start, end: finalEnd, incidents: incidentsBetween(options.incidentsAt, options.start, finalEnd), steps: kept, settlements: planner.settlements })
    : undefined;
  return { truth, stats: delivery.stats, events, end: finalEnd };
}

function dueAt(d: Delivery): number {
  return d.step.deliverAt + (d.copy - 1) * REDELIVERY_GAP_MS;
}

/** Resolves at wall time `t`, or at once when `signal` aborts. */
export async function sleepUntil(t: number, signal?: AbortSignal): Promise<void> {
  const wait = t - Date.now();
  if (wait <= 0 || signal?.aborted) return;
  await new Promise<void>((resolve) => {
    // The listener goes with the wait: a live run waits four times a second on one signal for hours.
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    signal?.addEventListener('abort', done, { once: true });
  });
}
