import { createHash } from 'node:crypto';
import type { AlertConditionKind, AlertRule } from '../catalog/alertSchema.js';
import { formatDuration } from '../catalog/catalog.js';
import type { SlaPolicyStatus, SlaStatus } from '../contracts/slaApi.js';

/**
 * Alert conditions, pure: each alert rule applied to the SLA evaluation (`SlaStatus`) gives one condition per
 * policy (or per group of a policy) that either holds or not, with the figures a person needs to judge it. The
 * ids are derived from the rule, the policy and the group only, so every server and every restart agrees on them.
 */

/** What a notification shows about the SLA behind an alert, as evaluated when it was last seen. */
export type AlertFacts = {
  objective: number;
  /** Met ÷ decided over the policy's window (of the group, for a grouped alert); null while nothing is decided. */
  attainment: number | null;
  late: number;
  open_breached: number;
  deadline_ms: number;
  window_ms: number;
  /** The burn rates over the policy's two windows; null for a policy without a burn-rate alert. */
  burn: { short: number | null; long: number | null; short_ms: number; long_ms: number; factor: number } | null;
  /** For a deadline rule: the breaches it counts, and from how many it fires. */
  counted: number | null;
  threshold: number | null;
};

/** How an alert describes itself in lists and notifications (stored with each transition). */
export type AlertDetails = {
  rule_name: string;
  policy_name: string;
  condition: AlertConditionKind;
  summary: string;
  facts: AlertFacts;
};

/** The identity of an alert and what routes and mutes match on. */
export type AlertLabels = {
  alert_id: string;
  dedup_key: string;
  rule: string;
  policy: string;
  /** The group's values, in the policy's `group_by` order; empty for a per-policy alert. */
  group: Record<string, string>;
  severity: string;
  owner: string;
  flow: string;
};

/** One alert as a rule sees it at one evaluation: does its condition hold, and the figures behind that. */
export type AlertCondition = AlertLabels & { holds: boolean; details: AlertDetails };

/** PagerDuty's limit on a dedup key. */
const DEDUP_KEY_MAX = 255;

/**
 * `flowlens/<rule>/<policy>[/<group>]`: the alert's dedup key, e.g. `flowlens/channel-stuck/order-shipped/channel=amazon`.
 * Group values are percent-encoded (so no value can fake a separator); a key past PagerDuty's 255 characters
 * keeps its start and ends in a hash of the whole.
 */
export function dedupKeyOf(rule: string, policy: string, group: Readonly<Record<string, string>>): string {
  const groupPart = Object.entries(group)
    .map(([dimension, value]) => `${dimension}=${encodeURIComponent(value)}`)
    .join(',');
  const key = ['flowlens', rule, policy, ...(groupPart === '' ? [] : [groupPart])].join('/');
  if (key.length <= DEDUP_KEY_MAX) return key;
  const hash = createHash('sha1').update(key).digest('hex').slice(0, 16);
  return `${key.slice(0, DEDUP_KEY_MAX - hash.length - 1)}~${hash}`;
}

/** The alert's id in the API and the store: 16 hex characters of the SHA-1 of its dedup key. */
export function alertIdOf(dedupKey: string): string {
  return createHash('sha1').update(dedupKey).digest('hex').slice(0, 16);
}

/** Does a rule apply to a policy: named by it, or `*` (a burn rule only to policies that have a burn-rate alert)? */
export function ruleApplies(rule: AlertRule, policy: SlaPolicyStatus): boolean {
  if (rule.policies !== '*' && !rule.policies.includes(policy.id)) return false;
  return rule.condition !== 'burn' || policy.burn !== null;
}

/** Every alert the rules define over this evaluation, each saying whether its condition holds now. */
export function alertConditions(status: SlaStatus, rules: readonly AlertRule[]): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const rule of rules) {
    for (const policy of status.policies) {
      if (!ruleApplies(rule, policy)) continue;
      const perGroup = rule.condition === 'deadline' && rule.groupBy === 'group' && policy.group_by.length > 0;
      const subjects = perGroup ? policy.groups.map((g) => ({ group: ordered(g.group, policy.group_by), figures: g })) : [{ group: {}, figures: policy }];
      for (const { group, figures } of subjects) conditions.push(conditionOf(rule, policy, group, figures));
    }
  }
  return conditions;
}

type Figures = Pick<SlaPolicyStatus, 'attainment' | 'late' | 'open_breached'>;

function conditionOf(rule: AlertRule, policy: SlaPolicyStatus, group: Record<string, string>, figures: Figures): AlertCondition {
  const dedup_key = dedupKeyOf(rule.id, policy.id, group);
  const counted = rule.condition === 'deadline' ? rule.outcomes.reduce((sum, outcome) => sum + figures[outcome], 0) : null;
  const holds = rule.condition === 'burn' ? (policy.burn?.alerting ?? false) : (counted ?? 0) >= rule.threshold;
  const facts: AlertFacts = {
    objective: policy.objective,
    attainment: figures.attainment,
    late: figures.late,
    open_breached: figures.open_breached,
    deadline_ms: policy.deadline_ms,
    window_ms: policy.window_ms,
    burn: policy.burn
      ? { short: policy.burn.short.rate, long: policy.burn.long.rate, short_ms: policy.burn.short.window_ms, long_ms: policy.burn.long.window_ms, factor: policy.burn.factor }
      : null,
    counted,
    threshold: rule.condition === 'deadline' ? rule.threshold : null,
  };
  const details: AlertDetails = { rule_name: rule.name, policy_name: policy.name, condition: rule.condition, summary: '', facts };
  details.summary = summarize(details, group, rule.condition === 'deadline' ? rule.outcomes : []);
  return {
    alert_id: alertIdOf(dedup_key),
    dedup_key,
    rule: rule.id,
    policy: policy.id,
    group,
    severity: rule.severity ?? policy.severity,
    owner: policy.owner,
    flow: policy.flow,
    holds,
    details,
  };
}

/** The group's values in the policy's dimension order, so the same group always makes the same key. */
function ordered(group: Readonly<Record<string, string>>, dimensions: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of dimensions) if (group[d] !== undefined) out[d] = group[d];
  for (const [d, v] of Object.entries(group)) if (!(d in out)) out[d] = v;
  return out;
}

/** `66.7 %`; `n/a` while nothing is decided. */
export function percent(value: number | null): string {
  if (value === null) return 'n/a';
  return `${(Math.floor(value * 1000 + 1e-9) / 10).toFixed(1).replace(/\.0$/, '')} %`;
}

const rate = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)}×`);

/**
 * One line a person reads first: the policy (and group), what broke, and the attainment against the objective,
 * e.g. `Online orders shipped within 2 min [channel=amazon]: 7 open past the 2m deadline (alert at 5); attainment 81.2 % against 99 %`.
 */
export function summarize(details: Omit<AlertDetails, 'summary'>, group: Readonly<Record<string, string>>, outcomes: readonly string[]): string {
  const f = details.facts;
  const groupText = Object.keys(group).length === 0 ? '' : ` [${Object.entries(group).map(([d, v]) => `${d}=${v}`).join(', ')}]`;
  const deadline = formatDuration(f.deadline_ms);
  let what: string;
  if (details.condition === 'burn' && f.burn) {
    what = `error budget burning ${rate(f.burn.short)} over ${formatDuration(f.burn.short_ms)} and ${rate(f.burn.long)} over ${formatDuration(f.burn.long_ms)} (alert above ${f.burn.factor}×)`;
  } else {
    const parts = [];
    if (outcomes.includes('open_breached')) parts.push(`${f.open_breached} open past`);
    if (outcomes.includes('late')) parts.push(`${f.late} finished later than`);
    what = `${parts.join(' and ')} the ${deadline} deadline (alert at ${f.threshold ?? 1})`;
  }
  return `${details.policy_name}${groupText}: ${what}; attainment ${percent(f.attainment)} against ${percent(f.objective)}`;
}
