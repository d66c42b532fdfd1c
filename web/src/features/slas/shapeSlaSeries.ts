import type { SlaSeries } from '../../api/contracts';

/** One bucket as the chart draws it: attainment in percent (null: nothing decided), broken and decided counts. */
export type SeriesRow = { t: number; attainment: number | null; broken: number; decided: number; inProgress: number };

export type ShapedSeries = {
  rows: SeriesRow[];
  objective: number;
  /** The attainment axis, in percent: from a round value under the lowest point and the objective, to 100. */
  yDomain: [number, number];
  yTicks: number[];
  xDomain: [number, number];
  xTicks: number[];
  bucketMs: number;
  /** Instances decided over the window; 0 means an empty chart. */
  decided: number;
};

/** Attainment per bucket of start time, with axes that keep the objective line in view. */
export function shapeSlaSeries(series: SlaSeries): ShapedSeries {
  const rows = series.points.map((p) => {
    const decided = p.met + p.late + p.open_breached;
    return { t: p.t, attainment: p.attainment === null ? null : p.attainment * 100, broken: p.late + p.open_breached, decided, inProgress: p.in_progress };
  });
  const objective = series.objective * 100;
  const lowest = Math.min(objective, ...rows.map((r) => r.attainment ?? 100));
  const span = 100 - lowest;
  const step = span > 40 ? 20 : span > 20 ? 10 : span > 5 ? 5 : 1;
  const bottom = Math.max(0, Math.floor((lowest - step / 2) / step) * step);
  const yTicks: number[] = [];
  for (let v = bottom; v <= 100; v += step) yTicks.push(v);
  const first = rows[0]?.t ?? series.from;
  const last = (rows.at(-1)?.t ?? series.to) + series.bucket_ms;
  const every = Math.max(1, Math.round(rows.length / 6));
  const xTicks = rows.filter((_, i) => i % every === 0).map((r) => r.t);
  return { rows, objective, yDomain: [bottom, 100], yTicks, xDomain: [first, last], xTicks, bucketMs: series.bucket_ms, decided: rows.reduce((n, r) => n + r.decided, 0) };
}
