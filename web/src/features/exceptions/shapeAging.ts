import { AGE_BUCKETS, type ExceptionAging } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';

export type AgingGroupBy = 'owner' | 'flow' | 'system';

/**
 * One colour per age bucket, from fresh to stale (mid-tones that read on the light and the dark background; the
 * legend and the table always name the bucket too, so colour is never the only cue).
 */
const BUCKET_COLORS = ['#2a9d8f', '#e9c46a', '#f4a261', '#e76f51', '#b5179e'];

/** Groups shown as bars; the rest are summed into one "other" bar, so the chart keeps its height. */
export const MAX_AGING_GROUPS = 6;
export const OTHER_GROUP = '';

export type AgingBucket = { id: string; label: string; color: string };
export type AgingRow = {
  /** The owner id, flow or system; OTHER_GROUP for the summed rest. */
  group: string;
  label: string;
  total: number;
  counts: Record<string, number>;
};
export type ShapedAging = {
  total: number;
  buckets: AgingBucket[];
  rows: AgingRow[];
  /** How many groups the "other" row sums (0 when there is none). */
  otherGroups: number;
  /** "42 open · 12 older than 4 h" */
  summary: string;
  /** Largest bar, for the axis. */
  maxTotal: number;
};

const COUNTS_BY: Readonly<Record<AgingGroupBy, 'by_owner' | 'by_flow' | 'by_system'>> = { owner: 'by_owner', flow: 'by_flow', system: 'by_system' };

/** The aging answer as bars, one per group with the most open on top, stacked by age bucket. */
export function shapeAging(aging: ExceptionAging, groupBy: AgingGroupBy): ShapedAging {
  const buckets = aging.buckets.map((b, i) => ({ id: b.id, label: b.label, color: BUCKET_COLORS[i] ?? BUCKET_COLORS.at(-1)! }));
  const label = (group: string) => (groupBy === 'owner' ? (aging.owners[group] ?? group) : group || '(none)');
  const all = Object.entries(aging[COUNTS_BY[groupBy]])
    .map(([group, counts]) => ({ group, label: label(group), counts: fill(buckets, counts), total: sum(counts) }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const shown = all.length > MAX_AGING_GROUPS ? all.slice(0, MAX_AGING_GROUPS - 1) : all;
  const rest = all.slice(shown.length);
  const rows = rest.length === 0 ? shown : [...shown, { group: OTHER_GROUP, label: `${rest.length} others`, counts: mergeCounts(buckets, rest), total: rest.reduce((n, r) => n + r.total, 0) }];
  return { total: aging.total, buckets, rows, otherGroups: rest.length, summary: agingSummaryText(aging), maxTotal: Math.max(0, ...rows.map((r) => r.total)) };
}

/** From this bucket on (4 h and older) an exception has waited long. */
const LONG_WAIT_BUCKET = 3;

/** "42 open · 12 older than 4 h" — the share that has waited long is what a lead looks for first. */
export function agingSummaryText(aging: ExceptionAging): string {
  if (aging.total === 0) return 'Nothing open';
  const old = AGE_BUCKETS.slice(LONG_WAIT_BUCKET).reduce((n, b) => n + (aging.by_bucket[b.id] ?? 0), 0);
  const over = formatDuration(AGE_BUCKETS[LONG_WAIT_BUCKET - 1]!.upToMs);
  return old === 0 ? `${formatCount(aging.total)} open, none older than ${over}` : `${formatCount(aging.total)} open · ${formatCount(old)} older than ${over}`;
}

/** Whole-number ticks for the count axis: 0 … a round top, at most six steps. */
export function countTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

function fill(buckets: readonly AgingBucket[], counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(buckets.map((b) => [b.id, counts[b.id] ?? 0]));
}

function mergeCounts(buckets: readonly AgingBucket[], rows: readonly { counts: Record<string, number> }[]): Record<string, number> {
  return Object.fromEntries(buckets.map((b) => [b.id, rows.reduce((n, r) => n + (r.counts[b.id] ?? 0), 0)]));
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((n, c) => n + c, 0);
}
