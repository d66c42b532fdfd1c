import { describe, expect, it } from 'vitest';
import type { InventoryLagResponse } from '../../api/contracts';
import { parseMinute, rangePhrase, shapeLagSeries } from './shapeLagSeries';

const M = 60_000;
const FROM = Date.UTC(2026, 10, 27, 14, 0, 30);
const minute = (n: number) => Date.UTC(2026, 10, 27, 14, n);
const stats = (count: number, pending: number, p95: number) => ({ count, pending, p50: p95 / 2, p95, p99: p95 + 1_000, max: p95 + 1_000 });

const lag: InventoryLagResponse = {
  from: FROM,
  to: FROM + 5 * M,
  bucket_seconds: 60,
  location: null,
  sku: null,
  targets: [
    { target: 'erp', kind: 'erp_posted', summary: stats(6, 0, 4_000), series: [{ t: minute(0), ...stats(3, 0, 4_000) }, { t: minute(3), ...stats(3, 0, 2_000) }] },
    {
      target: 'amazon',
      kind: 'published',
      summary: stats(6, 4, 480_000),
      series: [{ t: minute(0), ...stats(3, 1, 480_000) }, { t: minute(3), ...stats(3, 3, 0) }],
    },
  ],
};

describe('shapeLagSeries', () => {
  it('gives every target a point per minute of the range, gaps as gaps, and no lag where nothing arrived', () => {
    const view = shapeLagSeries(lag, ['p95', 'p50'], 0);
    expect(view.percentiles).toEqual(['p50', 'p95']);
    expect(view.domain).toEqual([minute(0), FROM + 5 * M]);
    expect(view.movements).toBe(6);
    const amazon = view.targets[1]!;
    expect(amazon.label).toBe('Amazon');
    expect(amazon.points.map((p) => [(p.t - minute(0)) / M, p.count, p.p95])).toEqual([
      [0, 3, 480_000],
      [1, 0, null],
      [2, 0, null],
      [3, 3, null],
      [4, 0, null],
      [5, 0, null],
    ]);
    // Minute 0 has lag and no neighbour with any: alone, a line would not show it.
    expect(view.targets[0]!.points.filter((p) => p.isolated).map((p) => (p.t - minute(0)) / M)).toEqual([0, 3]);
    expect(amazon.yTicks).toEqual([0, 120_000, 240_000, 360_000, 480_000]);
  });

  it('offers each target\'s slowest minutes, by the highest percentile shown, then by how many wait', () => {
    const view = shapeLagSeries(lag, ['p50', 'p99'], 0);
    expect(view.targets[0]!.slowest).toEqual([
      { t: minute(0), lagMs: 5_000, count: 3, pending: 0 },
      { t: minute(3), lagMs: 3_000, count: 3, pending: 0 },
    ]);
    expect(view.targets[1]!.slowest.map((s) => [(s.t - minute(0)) / M, s.lagMs, s.pending])).toEqual([
      [0, 481_000, 1],
      [3, 0, 3],
    ]);
  });

  it('names the range as part of a sentence', () => {
    expect(rangePhrase({ kind: 'relative', range: '1h' })).toBe('the last hour');
    expect(rangePhrase(undefined)).toBe('the last hour');
    expect(rangePhrase({ kind: 'relative', range: '7d' })).toBe('the last 7 days');
  });

  it('reads a chart point from the link only when it is a whole minute', () => {
    expect(parseMinute(String(minute(3)))).toBe(minute(3));
    expect(parseMinute(String(minute(3) + 1))).toBeUndefined();
    expect(parseMinute('yesterday')).toBeUndefined();
    expect(parseMinute('')).toBeUndefined();
  });
});
