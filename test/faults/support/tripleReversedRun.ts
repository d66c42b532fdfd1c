import { createStepDelivery, type Delivery } from '../../../server/simulator/deliver/stepDelivery.js';
import { REDELIVERY_GAP_MS } from '../../../server/simulator/model.js';
import { createPlanner } from '../../../server/simulator/plan/planner.js';
import type { RunOptions, RunResult } from '../../../server/simulator/runner.js';
import { incidentsBetween } from '../../../server/simulator/scenarios.js';
import { computeTruth } from '../../../server/simulator/truth.js';

/** How many windows the reversed run delivered, so a test can see the order really was reversed. */
export const reversedRunLog: { windows: number; firstWindowEnd: number; lastWindowEnd: number }[] = [];

const WINDOW_MS = 2_000;

/**
 * A bounded, fast-paced stand-in for the simulator's runSimulation with a harsher delivery: the run is planned
 * as usual, then every message is delivered three times and the whole run in reverse order — the last window
 * first, and within a window the last message first — so each transaction's steps arrive last step first. The
 * ground truth is computed from the same plan with three copies of each step, as the real runner does.
 */
export async function runTripleReversed(options: RunOptions): Promise<RunResult> {
  if (options.durationMs === undefined) throw new Error('the reversed run needs a bounded duration');
  const end = options.start + options.durationMs;
  const planner = createPlanner({ seed: options.seed, rate: options.rate, start: options.start, incidentsAt: options.incidentsAt, daily: options.daily, settleEveryMs: options.settleEveryMs, journalEveryMs: options.journalEveryMs, posEveryMs: options.posEveryMs });
  const steps = [];
  for (let t = options.start; t < end; t += WINDOW_MS) steps.push(...planner.planUntil(Math.min(t + WINDOW_MS, end)));
  for (const step of steps) step.copies = 3;

  const windows = new Map<number, Delivery[]>();
  for (const step of steps) {
    for (let copy = 1; copy <= step.copies; copy++) {
      const due = step.deliverAt + (copy - 1) * REDELIVERY_GAP_MS;
      if (due >= end) continue; // not handed over before the run ended: the truth leaves it out too
      const window = Math.floor((due - options.start) / WINDOW_MS);
      windows.set(window, [...(windows.get(window) ?? []), { step, copy }]);
    }
  }
  const order = [...windows.keys()].sort((a, b) => b - a);
  const delivery = createStepDelivery(options.targets);
  for (const window of order) {
    const due = windows.get(window)!.sort((a, b) => b.step.deliverAt - a.step.deliverAt || b.copy - a.copy);
    await delivery.deliver(due);
  }
  await delivery.finish();
  reversedRunLog.push({ windows: order.length, firstWindowEnd: options.start + (order[0]! + 1) * WINDOW_MS, lastWindowEnd: options.start + (order.at(-1)! + 1) * WINDOW_MS });
  const truth = computeTruth({ scenario: `${options.scenario} ×3 reversed`, seed: options.seed, rate: options.rate, start: options.start, end, incidents: incidentsBetween(options.incidentsAt, options.start, end), steps, settlements: planner.settlements });
  return { truth, stats: delivery.stats, events: truth.events.stored, end };
}
