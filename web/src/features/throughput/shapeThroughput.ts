import type { Throughput } from '../../api/contracts';

/** One time bucket of the chart: events per second for every flow, zero where the server sent no point. */
export type ThroughputRow = { t: number; rates: Record<string, number> };

export type FlowTotal = {
  flow: string;
  /** Events in the whole window. */
  total: number;
  /** Events per second over the last {@link RECENT_SECONDS} seconds of the window. */
  recentRate: number;
};

export type ShapedThroughput = {
  rows: ThroughputRow[];
  /** Flows in a stable order (by name), so series keep their colour and stacking position between pushes. */
  flows: FlowTotal[];
  total: number;
  /** Highest stacked rate of any bucket: what the y axis has to reach. */
  peakRate: number;
  domain: [number, number];
  ticks: number[];
  /** Round y-axis ticks from 0 to just above the peak: 0, 10, 20, 30, 40 rather than 0, 9, 18, 27, 36. */
  rateTicks: number[];
};

export const RECENT_SECONDS = 10;

const TICK_STEPS_MS = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600].map((s) => s * 1000);
const MAX_TICKS = 6;

/**
 * Turn the API's sparse series (seconds without events are absent) into dense rows the chart can stack:
 * one row per bucket across the whole window, every flow present, counts turned into events per second.
 * Points outside the window are dropped; points off the bucket grid count towards the bucket they fall in.
 */
export function shapeThroughput(data: Throughput): ShapedThroughput {
  const bucketMs = Math.max(1, data.bucket_seconds) * 1000;
  const start = Math.floor(data.from / bucketMs) * bucketMs;
  const bucketCount = Math.max(0, Math.ceil((data.to - start) / bucketMs));
  const flowNames = [...new Set(data.series.map((s) => s.flow))].sort((a, b) => a.localeCompare(b));

  const counts = new Map<string, Float64Array>(flowNames.map((flow) => [flow, new Float64Array(bucketCount)]));
  for (const { flow, points } of data.series) {
    const buckets = counts.get(flow);
    if (buckets === undefined) continue;
    for (const { t, count } of points) {
      if (t < data.from || t >= data.to) continue;
      const index = Math.floor((t - start) / bucketMs);
      buckets[index] = (buckets[index] ?? 0) + count;
    }
  }

  const rows: ThroughputRow[] = [];
  let peakRate = 0;
  for (let i = 0; i < bucketCount; i++) {
    const rates: Record<string, number> = {};
    let stacked = 0;
    for (const flow of flowNames) {
      const rate = (counts.get(flow)?.[i] ?? 0) / data.bucket_seconds;
      rates[flow] = rate;
      stacked += rate;
    }
    peakRate = Math.max(peakRate, stacked);
    rows.push({ t: start + i * bucketMs, rates });
  }

  const recentBuckets = Math.min(bucketCount, Math.max(1, Math.round(RECENT_SECONDS / data.bucket_seconds)));
  const flows = flowNames.map((flow) => {
    const buckets = counts.get(flow) ?? new Float64Array();
    const total = sum(buckets);
    const recent = sum(buckets.subarray(bucketCount - recentBuckets));
    return { flow, total, recentRate: recentBuckets === 0 ? 0 : recent / (recentBuckets * data.bucket_seconds) };
  });

  return {
    rows,
    flows,
    total: flows.reduce((acc, f) => acc + f.total, 0),
    peakRate,
    domain: [start, Math.max(start, data.to)],
    ticks: timeTicks(start, data.to),
    rateTicks: rateTicks(peakRate),
  };
}

/** Round wall-clock ticks ("14:02:00", "14:03:00", …): at most {@link MAX_TICKS}, on a readable step. */
export function timeTicks(from: number, to: number): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = TICK_STEPS_MS.find((s) => span / s <= MAX_TICKS) ?? Math.ceil(span / MAX_TICKS / 3_600_000) * 3_600_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** 1-2-5 steps, at most {@link MAX_TICKS} ticks, the top one at or above the peak; 0 and 1 for an empty chart. */
export function rateTicks(peak: number): number[] {
  if (!(peak > 0)) return [0, 1];
  const rough = peak / (MAX_TICKS - 2);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => Math.ceil(peak / s) <= MAX_TICKS - 1) ?? 10 * magnitude;
  const top = Math.ceil(peak / step) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 2; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
