import type { SlaPolicyStatus } from '../../api/contracts';
import { formatDuration } from '../../format/duration';

/** How a policy reads at a glance. */
export type Tone = 'ok' | 'warn' | 'bad' | 'none';

export type PolicyFilters = { owner: string; flow: string; severity: string; breachingOnly: boolean };

export type PolicyRow = {
  id: string;
  name: string;
  description: string | null;
  flow: string;
  owner: string;
  severity: string;
  /** "payment.refund.created → erp.journal.posted within 2 min" (and "on each channel" or "on amazon"). */
  measures: string;
  window: string;
  attainment: string;
  objective: string;
  attainmentTone: Tone;
  budget: string;
  budgetTone: Tone;
  burn: BurnView | null;
  late: number;
  openBreached: number;
  inProgress: number;
  status: { label: string; detail: string; tone: Tone };
  /** The group doing worst when it is under the objective, for a grouped policy: "amazon · 82.4 %". */
  worstGroup: string | null;
  groups: number;
};

export type BurnView = { short: string; shortWindow: string; long: string; longWindow: string; threshold: string; alerting: boolean };

const SEVERITY_ORDER = ['critical', 'warning', 'info'];

/**
 * A fraction as a percentage with one decimal more than the objective needs (99 % → "98.9 %", 99.9 % →
 * "99.95 %"), cut rather than rounded, so an attainment under the objective never reads as meeting it.
 */
export function formatPercent(fraction: number | null, objective?: number): string {
  if (fraction === null || !Number.isFinite(fraction)) return '–';
  const digits = objective === undefined ? 1 : Math.min(3, decimalsOf(objective * 100) + 1);
  const scale = 10 ** digits;
  const cut = Math.floor(fraction * 100 * scale + 1e-9) / scale;
  return `${cut.toFixed(digits).replace(/\.?0+$/, '')} %`;
}

/** The objective as people write it: 0.99 → "99 %", 0.995 → "99.5 %". */
export function formatObjective(objective: number): string {
  return `${Number((objective * 100).toFixed(3))} %`;
}

function decimalsOf(value: number): number {
  const text = Number(value.toFixed(6)).toString();
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

/** A burn rate: "0.4×", "14.4×" (one decimal, as thresholds are written), "250×"; a dash when nothing was decided in the window. */
export function formatBurn(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '–';
  return `${rate < 100 ? Number(rate.toFixed(1)) : Math.round(rate)}×`;
}

/** What is left of the error budget: "100 % left", "40 % left", or how many times over it is spent: "spent 3.2×". */
export function formatBudget(remaining: number | null): string {
  if (remaining === null) return '–';
  if (remaining >= 0) return `${Math.floor(remaining * 100)} % left`;
  return `spent ${formatBurn(1 - remaining)}`;
}

export function budgetTone(remaining: number | null): Tone {
  if (remaining === null) return 'none';
  return remaining <= 0 ? 'bad' : remaining < 0.25 ? 'warn' : 'ok';
}

/** "payment.refund.created → erp.journal.posted within 2 min", naming the channel the end step is measured on. */
export function describeMeasure(p: Pick<SlaPolicyStatus, 'start_steps' | 'end_step' | 'per_channel' | 'end_channel' | 'deadline_ms'>): string {
  const start = p.start_steps.length === 1 ? p.start_steps[0]! : `first of ${p.start_steps.join(', ')}`;
  const where = p.per_channel ? ' on each channel' : p.end_channel !== null ? ` on ${p.end_channel}` : '';
  return `${start} → ${p.end_step}${where} within ${formatDuration(p.deadline_ms)}`;
}

/** A group for people: its values in the policy's order, "amazon", "store-001 · amazon"; "(none)" for an empty value. */
export function groupLabel(group: Readonly<Record<string, string>>, dimensions: readonly string[]): string {
  return dimensions.map((d) => group[d] || '(none)').join(' · ');
}

/** Does a group hold every value of the filter? */
export function inGroup(group: Readonly<Record<string, string>>, filter: Readonly<Record<string, string>>): boolean {
  return Object.entries(filter).every(([dimension, value]) => group[dimension] === value);
}

/** A dimension for column headings: `location_id` → "Location", `key:order_id` → "order_id". */
export function dimensionLabel(dimension: string): string {
  if (dimension.startsWith('key:')) return dimension.slice(4);
  const names: Record<string, string> = { channel: 'Channel', location_id: 'Location', sku: 'SKU', region: 'Region', system: 'System', target_system: 'Target system' };
  return names[dimension] ?? dimension;
}

/** What a policy's state is in a word, why in a few more, and its tone. */
export function policyStatus(p: Pick<SlaPolicyStatus, 'breaching' | 'severity' | 'open_breached' | 'attainment' | 'objective' | 'burn' | 'in_progress'>): { label: string; detail: string; tone: Tone } {
  if (p.breaching) {
    const tone: Tone = p.severity === 'critical' ? 'bad' : 'warn';
    if (p.open_breached > 0) return { label: 'Breaching', detail: 'open past the deadline', tone };
    if (p.burn?.alerting) return { label: 'Breaching', detail: 'burning its budget fast', tone };
    return { label: 'Breaching', detail: 'under the objective', tone };
  }
  if (p.attainment === null) return { label: 'No data', detail: p.in_progress > 0 ? 'in progress, nothing decided yet' : 'nothing started in the window', tone: 'none' };
  return { label: 'Met', detail: 'within the objective', tone: 'ok' };
}

export function shapePolicy(p: SlaPolicyStatus): PolicyRow {
  // Groups come worst first; one is named only when it is under the objective.
  const worst = p.group_by.length > 0 ? p.groups.find((g) => g.attainment !== null && g.attainment < p.objective) : undefined;
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    flow: p.flow,
    owner: p.owner,
    severity: p.severity,
    measures: describeMeasure(p),
    window: formatDuration(p.window_ms),
    attainment: formatPercent(p.attainment, p.objective),
    objective: formatObjective(p.objective),
    attainmentTone: p.attainment === null ? 'none' : p.attainment >= p.objective ? 'ok' : p.severity === 'critical' ? 'bad' : 'warn',
    budget: formatBudget(p.error_budget.remaining),
    budgetTone: budgetTone(p.error_budget.remaining),
    burn:
      p.burn === null
        ? null
        : {
            short: formatBurn(p.burn.short.rate),
            shortWindow: formatDuration(p.burn.short.window_ms),
            long: formatBurn(p.burn.long.rate),
            longWindow: formatDuration(p.burn.long.window_ms),
            threshold: formatBurn(p.burn.factor),
            alerting: p.burn.alerting,
          },
    late: p.late,
    openBreached: p.open_breached,
    inProgress: p.in_progress,
    status: policyStatus(p),
    worstGroup: worst === undefined ? null : `${groupLabel(worst.group, p.group_by)} · ${formatPercent(worst.attainment, p.objective)}`,
    groups: p.groups.length,
  };
}

/** The policies the filters keep, breaching first (critical before warning), then the lowest attainment, then by name. */
export function shapePolicies(policies: readonly SlaPolicyStatus[], filters: PolicyFilters): PolicyRow[] {
  const rank = (severity: string) => (SEVERITY_ORDER.includes(severity) ? SEVERITY_ORDER.indexOf(severity) : SEVERITY_ORDER.length);
  return policies
    .filter((p) => (filters.owner === '' || p.owner === filters.owner) && (filters.flow === '' || p.flow === filters.flow) && (filters.severity === '' || p.severity === filters.severity) && (!filters.breachingOnly || p.breaching))
    .sort((a, b) => Number(b.breaching) - Number(a.breaching) || (a.breaching ? rank(a.severity) - rank(b.severity) : 0) || (a.attainment ?? 2) - (b.attainment ?? 2) || a.name.localeCompare(b.name))
    .map(shapePolicy);
}

/** The values each filter can take, from the policies themselves. */
export function filterOptions(policies: readonly SlaPolicyStatus[]): { owners: string[]; flows: string[]; severities: string[] } {
  const distinct = (values: string[]) => [...new Set(values)].sort();
  const severities = distinct(policies.map((p) => p.severity)).sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b));
  return { owners: distinct(policies.map((p) => p.owner)), flows: distinct(policies.map((p) => p.flow)), severities };
}
