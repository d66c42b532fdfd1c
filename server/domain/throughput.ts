import type { Throughput } from '../contracts/api.js';

type Row = { flow: string; t: number; count: number };

/** Group per-second rows into one series per flow (flows sorted by name, points by time). */
export function shapeThroughput(rows: readonly Row[], windowSeconds: number, from: number, to: number): Throughput {
  const byFlow = new Map<string, { t: number; count: number }[]>();
  for (const row of rows) {
    if (row.t < from || row.t >= to) continue;
    const points = byFlow.get(row.flow) ?? [];
    points.push({ t: row.t, count: row.count });
    byFlow.set(row.flow, points);
  }
  const series = [...byFlow.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([flow, points]) => ({ flow, points: points.sort((a, b) => a.t - b.t) }));
  return { window_seconds: windowSeconds, bucket_seconds: 1, from, to, series };
}
