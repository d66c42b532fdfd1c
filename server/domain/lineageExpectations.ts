import type { Flow, FlowStep, SlaPolicy } from '../catalog/catalogSchema.js';
import type { LINEAGE_STATES, LineageMissingStep, LineageStep } from '../contracts/lineageApi.js';

/**
 * What the flow catalog expects of one correlation, pure: the variant it follows, the expected steps that have
 * not happened (or not as often as the catalog says), how long it has waited, and the SLA deadlines on them.
 */

export type LineageState = (typeof LINEAGE_STATES)[number];
export type Expectation = { variant: { id: string; name: string } | null; steps: readonly FlowStep[] };

/**
 * The steps a correlation of `flow` should go through, given the step names seen so far (attempts included):
 * the variant sharing most steps with them, then the one with fewest seen steps it does not list, then the first
 * in the file. A flow without variants expects all its steps.
 */
export function expectedSteps(flow: Flow, seen: ReadonlySet<string>): Expectation {
  if (flow.variants.length === 0) return { variant: null, steps: flow.steps };
  let best = flow.variants[0]!;
  let bestScore = [-1, 0];
  for (const variant of flow.variants) {
    const listed = new Set(variant.steps);
    const matched = [...seen].filter((s) => listed.has(s)).length;
    const stray = seen.size - matched;
    if (matched > bestScore[0]! || (matched === bestScore[0] && stray < bestScore[1]!)) {
      best = variant;
      bestScore = [matched, stray];
    }
  }
  const byId = new Map(flow.steps.map((s) => [s.id, s]));
  return { variant: { id: best.id, name: best.name }, steps: best.steps.flatMap((id) => byId.get(id) ?? []) };
}

export type MissingInput = {
  correlationId: string;
  flow: Flow;
  /** The correlation's steps (stepsOf), split per channel where the flow expects one per channel. */
  steps: readonly LineageStep[];
  policies: readonly SlaPolicy[];
  now: number;
};

/**
 * The expected steps a correlation still lacks, each with its age: now − when the correlation last moved (the
 * latest success of any step). An SLA policy of the flow that ends at the step and started in this correlation
 * puts a deadline on it. A step seen fewer times than the catalog expects (one journal line of two) is still
 * owed, so its deadline runs until the last occurrence arrives — stricter than the SLA evaluator, which counts
 * an instance as ended at the first.
 */
export function missingSteps({ correlationId, flow, steps, policies, now }: MissingInput): { variant: Expectation['variant']; missing: LineageMissingStep[] } {
  // No events read (the walk hit its event cap): nothing can be said about what is missing.
  if (steps.length === 0) return { variant: null, missing: [] };
  const expectation = expectedSteps(flow, new Set(steps.map((s) => s.step)));
  const succeeded = steps.flatMap((s) => (s.ok_at === null ? [] : [Date.parse(s.ok_at)]));
  const waitingSince = succeeded.length > 0 ? Math.max(...succeeded) : Math.min(...steps.map((s) => Date.parse(s.first_at)));
  const byId = new Map(steps.map((s) => [s.id, s]));
  const missing: LineageMissingStep[] = [];
  for (const expected of expectation.steps) {
    const times = expected.occurrences === 'many' ? 1 : expected.occurrences;
    for (const channel of expected.perChannel ? flow.channels : [null]) {
      const seen = byId.get(channel === null ? expected.id : `${expected.id}@${channel}`);
      if ((seen?.occurrences ?? 0) >= times) continue;
      missing.push({
        correlation_id: correlationId,
        flow: flow.id,
        variant: expectation.variant?.id ?? null,
        step: expected.id,
        channel,
        systems: [...expected.systems],
        expected: times,
        seen: seen?.occurrences ?? 0,
        last_status: seen?.status ?? null,
        waiting_since: new Date(waitingSince).toISOString(),
        age_ms: Math.max(0, now - waitingSince),
        slas: deadlinesOn(flow.id, expected.id, channel, steps, policies, now),
      });
    }
  }
  return { variant: expectation.variant, missing };
}

function deadlinesOn(flowId: string, step: string, channel: string | null, steps: readonly LineageStep[], policies: readonly SlaPolicy[], now: number): LineageMissingStep['slas'] {
  return policies.flatMap((policy) => {
    if (policy.flow !== flowId || policy.end.step !== step) return [];
    if (policy.end.channel !== undefined && policy.end.channel !== channel) return [];
    const starts = steps.filter((s) => s.ok_at !== null && policy.start.steps.includes(s.step)).map((s) => Date.parse(s.ok_at!));
    if (starts.length === 0) return [];
    const startedAt = Math.min(...starts);
    const deadline = startedAt + policy.deadline;
    return [
      {
        policy: policy.id,
        name: policy.name,
        started_at: new Date(startedAt).toISOString(),
        deadline_at: new Date(deadline).toISOString(),
        overdue: now > deadline,
        overdue_by_ms: Math.max(0, now - deadline),
      },
    ];
  });
}

/**
 * failed: a step failed or was dead-lettered and has not succeeded since (an open exception); in_progress: an
 * expected step is missing or a step is still being retried; complete otherwise. A flow the catalog does not
 * know expects nothing, so it is complete once nothing is failing or pending; one without events read is not.
 */
export function correlationState(steps: readonly LineageStep[], missing: readonly LineageMissingStep[]): LineageState {
  if (steps.length === 0) return 'in_progress';
  const open = steps.filter((s) => s.ok_at === null);
  if (open.some((s) => s.status === 'failed' || s.status === 'dead_lettered')) return 'failed';
  if (missing.length > 0 || open.length > 0) return 'in_progress';
  return 'complete';
}
