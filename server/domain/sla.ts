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


export type SlaCounts = { met: number; late: number; open_breached: number; in_progress: number };
/** The broken instances the objective allows over the decided ones, how many broke, and the share left (negative: overspent). */
export type ErrorBudget = { allowed: number; spent: number; remaining: number | null };
export type SlaFigures = SlaCounts & {
  /** Met ÷ decided (met, late, open past deadline); null while nothing is decided. */
  attainment: number | null;
  error_budget: ErrorBudget;
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

/**
 * One group's instances as the store counts them: how many are in each outcome, and per burn window (short, then
 * long) how many started within it were decided and how many of those broke the deadline.
 */
export type SlaGroupCounts = SlaCounts & { group: Record<string, string>; recent: readonly { decided: number; bad: number }[] };

export function figures(counts: SlaCounts, objective: number): SlaFigures {
  const decided = counts.met + counts.late + counts.open_breached;
  return {
    met: counts.met,
    late: counts.late,
    open_breached: counts.open_breached,
    in_progress: counts.in_progress,
    attainment: decided === 0 ? null : counts.met / decided,
    error_budget: errorBudget(decided, counts.late + counts.open_breached, objective),
  };
}

/**
 * The error budget over `decided` instances: the objective allows decided × (1 − objective) of them to break.
 * `remaining` is the share of that still unspent (0.4: 40 % left; −1: spent twice over); null while nothing is decided.
 */
export function errorBudget(decided: number, broken: number, objective: number): ErrorBudget {
  const allowed = decided * (1 - objective);
  return { allowed, spent: broken, remaining: decided === 0 ? null : 1 - broken / allowed };
}

/**
 * How fast the error budget burns over the last `windowMs`: the share of decided instances started then that
 * broke the deadline, over the share the objective allows (1 − objective). 1 spends the budget exactly over
 * the policy's window; 14.4 over a 1 h window spends a 30-day budget in 2 days (the SRE multi-window method).
 */
export function burnRate(policy: SlaPolicyShape, recent: { decided: number; bad: number }, windowMs: number): BurnRate {
  if (recent.decided === 0) return { window_ms: windowMs, rate: null };
  return { window_ms: windowMs, rate: recent.bad / recent.decided / (1 - policy.objective) };
}

/** A policy's figures over all its groups, its burn rates, whether it breaches, and each group worst first. */
export function evaluate(policy: SlaPolicyShape, groups: readonly SlaGroupCounts[]): SlaEvaluation {
  const total: SlaCounts = { met: 0, late: 0, open_breached: 0, in_progress: 0 };
  const recent = [0, 1].map(() => ({ decided: 0, bad: 0 }));
  for (const g of groups) {
    total.met += g.met;
    total.late += g.late;
    total.open_breached += g.open_breached;
    total.in_progress += g.in_progress;
    g.recent.forEach((w, i) => {
      if (!recent[i]) return;
      recent[i].decided += w.decided;
      recent[i].bad += w.bad;
    });
  }
  const overall = figures(total, policy.objective);
  let burn: SlaEvaluation['burn'] = null;
  if (policy.burnRate) {
    const short = burnRate(policy, recent[0]!, policy.burnRate.shortMs);
    const long = burnRate(policy, recent[1]!, policy.burnRate.longMs);
    // Both windows must burn: the long one proves it matters, the short one that it is still happening.
    const alerting = short.rate !== null && long.rate !== null && short.rate > policy.burnRate.factor && long.rate > policy.burnRate.factor;
    burn = { short, long, factor: policy.burnRate.factor, alerting };
  }
  const byGroup = groups
    .map((g) => ({ group: g.group, ...figures(g, policy.objective) }))
    .sort((a, b) => (a.attainment ?? 1) - (b.attainment ?? 1) || JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)));
  const breaching = overall.open_breached > 0 || (burn?.alerting ?? false) || (overall.attainment !== null && overall.attainment < policy.objective);
  return { ...overall, burn, breaching, groups: byGroup };
}

/**
 * A group asked for as `dimension:value` items (`channel:amazon`, `key:order_id:SO-1`), over the dimensions a
 * policy groups by; the dimension is matched against those, so values may contain colons.
 */
export function parseGroupFilter(items: readonly string[], dimensions: readonly string[]): { ok: true; group: Record<string, string> } | { ok: false; message: string } {
  const group: Record<string, string> = {};
  const known = [...dimensions].sort((a, b) => b.length - a.length);
  for (const item of items) {
    const dimension = known.find((d) => item.startsWith(`${d}:`));
    if (dimension === undefined) {
      const hint = dimensions.length === 0 ? 'this policy has no groups' : `use dimension:value with a dimension of this policy (${dimensions.join(', ')}), e.g. ${dimensions[0]}:…`;
      return { ok: false, message: `"${item}" names no dimension the policy groups by; ${hint}` };
    }
    if (dimension in group) return { ok: false, message: `${dimension} is given twice` };
    group[dimension] = item.slice(dimension.length + 1);
  }
  return { ok: true, group };
}

/** Does an instance's group hold every value asked for? An empty filter holds for all. */
export function inGroup(group: Readonly<Record<string, string>>, filter: Readonly<Record<string, string>>): boolean {
  return Object.entries(filter).every(([dimension, value]) => group[dimension] === value);
}

/** The instances of one bucket of a series as the store counts them: `bucket` is its index from the series' start. */
export type SlaBucketCounts = SlaCounts & { bucket: number };
export type SlaSeriesPoint = SlaCounts & { t: number; attainment: number | null };

/**
 * A policy's window as `count` buckets of `bucketMs` from `from`, each with the outcomes of the instances that
 * started in it (so far); buckets without instances are there with zeros, so a chart's time axis has no gaps.
 */
export function seriesPoints(rows: readonly SlaBucketCounts[], from: number, bucketMs: number, count: number): SlaSeriesPoint[] {
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  return Array.from({ length: count }, (_, i) => {
    const r = byBucket.get(i) ?? { met: 0, late: 0, open_breached: 0, in_progress: 0 };
    const decided = r.met + r.late + r.open_breached;
    return { t: from + i * bucketMs, met: r.met, late: r.late, open_breached: r.open_breached, in_progress: r.in_progress, attainment: decided === 0 ? null : r.met / decided };
  });
}

/** Buckets for a series over a window: whole seconds, aligned to multiples of the bucket so the points stay put as time moves. */
export function seriesBuckets(windowMs: number, now: number, buckets: number): { from: number; bucketMs: number; count: number } {
  const bucketMs = Math.max(1000, Math.ceil(windowMs / buckets / 1000) * 1000);
  const from = Math.floor((now - windowMs) / bucketMs) * bucketMs;
  return { from, bucketMs, count: Math.floor((now - from) / bucketMs) + 1 };
}
