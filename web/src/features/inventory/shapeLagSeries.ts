import type { InventoryLagByLocation, InventoryLagResponse, LagStats } from '../../api/contracts';
import { targetLabel } from '../overview/shapeOverview';
import { RANGE_LABELS, describeTimeRange, type TimeRange } from '../../url/timeRange';
import { durationTicks, localOffsetMs, timeTicks } from './lagScale';

/** The percentiles the lag answers carry. */
export type LagPercentile = InventoryLagByLocation['percentile'];

const MINUTE = 60_000;
/** Ranges up to two days get a point for every minute (gaps stay gaps); longer ones only the minutes with movements. */
const DENSE_MINUTES = 2_880;
/** How many of a target's slowest minutes are offered as buttons (the keyboard's way to a point). */
const SLOWEST_MINUTES = 3;

/**
 * A minute of the chart: movements whose source was in it; a percentile is null when none reached the target.
 * `isolated`: it has lag but neither neighbour has, so a line alone would not show it (it gets a dot).
 */
export type LagPoint = { t: number; count: number; pending: number; isolated: boolean } & Record<LagPercentile, number | null>;

export type SlowMinute = { t: number; lagMs: number; count: number; pending: number };

export type LagTargetView = {
  target: string;
  label: string;
  summary: LagStats;
  points: LagPoint[];
  yTicks: number[];
  /** The minutes with the highest lag (by the highest percentile shown), slowest first. */
  slowest: SlowMinute[];
};

export type LagSeriesView = {
  domain: [number, number];
  xTicks: number[];
  xStepMs: number;
  percentiles: LagPercentile[];
  targets: LagTargetView[];
  /** Movements in range (every target counts the same movements). */
  movements: number;
};

const ORDER: readonly LagPercentile[] = ['p50', 'p95', 'p99'];

/**
 * The lag chart's shape: per target (ERP, then each channel) its summary and one point per minute of the range,
 * with the percentiles asked for, round y ticks, and its slowest minutes. `offsetMs` puts hourly x ticks on the
 * viewer's hours (tests pass 0).
 */
export function shapeLagSeries(lag: InventoryLagResponse, asked: readonly LagPercentile[], offsetMs = localOffsetMs(lag.to)): LagSeriesView {
  const percentiles = ORDER.filter((p) => asked.includes(p));
  const start = Math.floor(lag.from / MINUTE) * MINUTE;
  const minutes = Math.ceil((lag.to - start) / MINUTE);
  const { ticks, stepMs } = timeTicks(start, lag.to, offsetMs);
  const rankBy = percentiles.at(-1) ?? 'p95';
  const targets = lag.targets.map((t): LagTargetView => {
    const present = t.series.map((s) => toPoint(s));
    const points = markIsolated(minutes <= DENSE_MINUTES ? dense(present, start, minutes) : present);
    const top = Math.max(0, ...present.flatMap((p) => percentiles.map((q) => p[q] ?? 0)));
    const slowest = present
      .filter((p) => (p[rankBy] ?? 0) > 0 || p.pending > 0)
      .map((p) => ({ t: p.t, lagMs: p[rankBy] ?? 0, count: p.count, pending: p.pending }))
      .sort((a, b) => b.lagMs - a.lagMs || b.pending - a.pending || a.t - b.t)
      .slice(0, SLOWEST_MINUTES);
    return { target: t.target, label: targetLabel(t.target), summary: t.summary, points, yTicks: durationTicks(top), slowest };
  });
  return { domain: [start, lag.to], xTicks: ticks, xStepMs: stepMs, percentiles, targets, movements: lag.targets[0]?.summary.count ?? 0 };
}

function toPoint(s: LagStats & { t: number }): LagPoint {
  const reached = s.count - s.pending > 0;
  return { t: s.t, count: s.count, pending: s.pending, isolated: false, p50: reached ? s.p50 : null, p95: reached ? s.p95 : null, p99: reached ? s.p99 : null };
}

function markIsolated(points: LagPoint[]): LagPoint[] {
  const has = (p: LagPoint | undefined) => p !== undefined && p.p50 !== null;
  return points.map((p, i) => ({ ...p, isolated: has(p) && !has(points[i - 1]) && !has(points[i + 1]) }));
}

function dense(present: LagPoint[], start: number, minutes: number): LagPoint[] {
  const byMinute = new Map(present.map((p) => [p.t, p]));
  return Array.from({ length: minutes }, (_, i) => {
    const t = start + i * MINUTE;
    return byMinute.get(t) ?? { t, count: 0, pending: 0, isolated: false, p50: null, p95: null, p99: null };
  });
}

/** A range as part of a sentence: "the last hour", "27 Nov, 10:00 – 11:00". */
export function rangePhrase(range: TimeRange | undefined): string {
  if (range === undefined) return 'the last hour';
  return range.kind === 'relative' ? `the ${RANGE_LABELS[range.range].toLowerCase()}` : describeTimeRange(range);
}

/** The minute a chart point stands for, from `?minute=` (epoch ms on a whole minute), or undefined. */
export function parseMinute(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const t = Number(text);
  return t % MINUTE === 0 ? t : undefined;
}
