/**
 * SLA evaluation, pure: each instance of a policy (a correlation, or a correlation and channel, that reached a
 * start step) is met, finished late, still open past its deadline, or still in progress; attainment and the
 * multi-window burn rate follow from those outcomes.
 */
export type SlaOutcome = 'met' | 'late' | 'open_breached' | 'in_progress';

export type SlaPolicyShape = {
  id: string;
  deadlineMs: number;
  objective: number;
  windowMs: number;
  groupBy: readonly string[];
  burnRate?: { shortMs: number; longMs: number; factor: number };
};

/** One instance as the store returns it: when it started and ended (0: not yet), with what it can be grouped by. */
export type SlaInstanceInput = { correlation_id: string; channel?: string; start_ms: number; end_ms: number; dims: Record<string, string> };

export type SlaInstance = SlaInstanceInput & { outcome: SlaOutcome; elapsed_ms: number; overdue_by_ms: number; group: Record<string, string> };

export type SlaCounts = { met: number; late: number; open_breached: number; in_progress: number };
export type SlaFigures = SlaCounts & {
  /** Met ÷ decided (met, late, open past deadline); null while nothing is decided. */
  attainment: number | null;
};
export type BurnRate = { window_ms: number; rate: number | null };
export type SlaEvaluation = SlaFigures & {
  burn: { short: BurnRate; long: BurnRate; factor: number; alerting: boolean } | null;
  breaching: boolean;
  groups: (SlaFigures & { group: Record<string, string> })[];
};

export function classify(startMs: number, endMs: number, deadlineMs: number, now: number): { outcome: SlaOutcome; elapsed_ms: number; overdue_by_ms: number } {
  if (endMs > 0) {
    const elapsed = endMs - startMs;
    return { outcome: elapsed <= deadlineMs ? 'met' : 'late', elapsed_ms: elapsed, overdue_by_ms: Math.max(0, elapsed - deadlineMs) };
  }
  const elapsed = Math.max(0, now - startMs);
  return elapsed > deadlineMs ? { outcome: 'open_breached', elapsed_ms: elapsed, overdue_by_ms: elapsed - deadlineMs } : { outcome: 'in_progress', elapsed_ms: elapsed, overdue_by_ms: 0 };
}

export function instancesOf(policy: SlaPolicyShape, inputs: readonly SlaInstanceInput[], now: number): SlaInstance[] {
  return inputs.map((i) => ({ ...i, ...classify(i.start_ms, i.end_ms, policy.deadlineMs, now), group: Object.fromEntries(policy.groupBy.map((g) => [g, i.dims[g] ?? ''])) }));
}

export function figures(instances: readonly SlaInstance[]): SlaFigures {
  const counts: SlaCounts = { met: 0, late: 0, open_breached: 0, in_progress: 0 };
  for (const i of instances) counts[i.outcome]++;
  const decided = counts.met + counts.late + counts.open_breached;
  return { ...counts, attainment: decided === 0 ? null : counts.met / decided };
}

/**
 * How fast the error budget burns over the last `windowMs`: the share of decided instances started then that
 * broke the deadline, over the share the objective allows (1 − objective). 1 spends the budget exactly over
 * the policy's window; 14.4 over a 1 h window spends a 30-day budget in 2 days (the SRE multi-window method).
 */
export function burnRate(policy: SlaPolicyShape, instances: readonly SlaInstance[], now: number, windowMs: number): BurnRate {
  const recent = instances.filter((i) => i.start_ms >= now - windowMs && i.outcome !== 'in_progress');
  if (recent.length === 0) return { window_ms: windowMs, rate: null };
  const bad = recent.filter((i) => i.outcome !== 'met').length;
  return { window_ms: windowMs, rate: bad / recent.length / (1 - policy.objective) };
}

export function evaluate(policy: SlaPolicyShape, instances: readonly SlaInstance[], now: number): SlaEvaluation {
  const overall = figures(instances);
  let burn: SlaEvaluation['burn'] = null;
  if (policy.burnRate) {
    const short = burnRate(policy, instances, now, policy.burnRate.shortMs);
    const long = burnRate(policy, instances, now, policy.burnRate.longMs);
    // Both windows must burn: the long one proves it matters, the short one that it is still happening.
    const alerting = short.rate !== null && long.rate !== null && short.rate > policy.burnRate.factor && long.rate > policy.burnRate.factor;
    burn = { short, long, factor: policy.burnRate.factor, alerting };
  }
  const byGroup = new Map<string, SlaInstance[]>();
  for (const i of instances) {
    const key = JSON.stringify(i.group);
    const list = byGroup.get(key) ?? [];
    list.push(i);
    byGroup.set(key, list);
  }
  const groups = [...byGroup.values()]
    .map((list) => ({ group: list[0]!.group, ...figures(list) }))
    .sort((a, b) => (a.attainment ?? 1) - (b.attainment ?? 1) || JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)));
  const breaching = overall.open_breached > 0 || (burn?.alerting ?? false) || (overall.attainment !== null && overall.attainment < policy.objective);
  return { ...overall, burn, breaching, groups };
}
