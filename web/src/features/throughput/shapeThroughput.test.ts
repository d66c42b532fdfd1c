import type { Throughput } from '../../api/contracts';
import { describe, expect, it } from 'vitest';
import { rateTicks, shapeThroughput, timeTicks } from './shapeThroughput';

const from = Date.UTC(2026, 10, 27, 14, 0, 0);

function throughput(series: Throughput['series'], windowSeconds = 10): Throughput {
  return { window_seconds: windowSeconds, bucket_seconds: 1, from, to: from + windowSeconds * 1000, series };
}

describe('shapeThroughput', () => {
  it('fills seconds without events with zeros, for every flow', () => {
    const shaped = shapeThroughput(
      throughput([
        { flow: 'order_to_cash', points: [{ t: from + 2000, count: 3 }] },
        { flow: 'inventory_sync', points: [{ t: from + 5000, count: 1 }] },
      ]),
    );

    expect(shaped.rows).toHaveLength(10);
    expect(shaped.rows[0]).toEqual({ t: from, rates: { inventory_sync: 0, order_to_cash: 0 } });
    expect(shaped.rows[2]?.rates).toEqual({ inventory_sync: 0, order_to_cash: 3 });
    expect(shaped.rows[5]?.rates).toEqual({ inventory_sync: 1, order_to_cash: 0 });
    expect(shaped.rows.map((r) => r.t)).toEqual(Array.from({ length: 10 }, (_, i) => from + i * 1000));
  });

  it('totals events per flow and overall, and finds the stacked peak', () => {
    const shaped = shapeThroughput(
      throughput([
        { flow: 'order_to_cash', points: [{ t: from + 2000, count: 3 }, { t: from + 3000, count: 2 }] },
        { flow: 'inventory_sync', points: [{ t: from + 2000, count: 4 }] },
      ]),
    );

    expect(shaped.total).toBe(9);
    expect(shaped.peakRate).toBe(7);
    expect(shaped.flows.map((f) => [f.flow, f.total])).toEqual([
      ['inventory_sync', 4],
      ['order_to_cash', 5],
    ]);
  });

  it('keeps flows in name order whatever order the server sends them in', () => {
    const a = shapeThroughput(throughput([{ flow: 'transfer', points: [] }, { flow: 'inventory_sync', points: [] }]));
    const b = shapeThroughput(throughput([{ flow: 'inventory_sync', points: [] }, { flow: 'transfer', points: [] }]));

    expect(a.flows.map((f) => f.flow)).toEqual(['inventory_sync', 'transfer']);
    expect(b.flows.map((f) => f.flow)).toEqual(['inventory_sync', 'transfer']);
  });

  it('turns counts into events per second for wider buckets', () => {
    const data: Throughput = {
      window_seconds: 60,
      bucket_seconds: 10,
      from,
      to: from + 60_000,
      series: [{ flow: 'order_to_cash', points: [{ t: from + 10_000, count: 25 }] }],
    };

    const shaped = shapeThroughput(data);

    expect(shaped.rows).toHaveLength(6);
    expect(shaped.rows[1]?.rates.order_to_cash).toBe(2.5);
    expect(shaped.total).toBe(25);
  });

  it('drops points outside the window and snaps off-grid points into their bucket', () => {
    const shaped = shapeThroughput(
      throughput([
        {
          flow: 'order_to_cash',
          points: [
            { t: from - 1000, count: 100 },
            { t: from + 10_000, count: 100 },
            { t: from + 4_400, count: 2 },
            { t: from + 4_000, count: 1 },
          ],
        },
      ]),
    );

    expect(shaped.total).toBe(3);
    expect(shaped.rows[4]?.rates.order_to_cash).toBe(3);
  });

  it('reports the recent rate over the last ten seconds', () => {
    const shaped = shapeThroughput(
      throughput(
        [{ flow: 'order_to_cash', points: [{ t: from + 5_000, count: 50 }, { t: from + 55_000, count: 20 }] }],
        60,
      ),
    );

    expect(shaped.flows[0]?.recentRate).toBe(2);
  });

  it('shapes an empty window into zero rows of data but a full time axis', () => {
    const shaped = shapeThroughput(throughput([], 300));

    expect(shaped.flows).toEqual([]);
    expect(shaped.total).toBe(0);
    expect(shaped.rows).toHaveLength(300);
    expect(shaped.domain).toEqual([from, from + 300_000]);
  });
});

describe('timeTicks', () => {
  it('puts ticks on whole minutes for a five-minute window', () => {
    const start = Date.UTC(2026, 10, 27, 14, 0, 30);
    expect(timeTicks(start, start + 300_000)).toEqual([1, 2, 3, 4, 5].map((m) => Date.UTC(2026, 10, 27, 14, m)));
  });

  it('uses a shorter step for a short window', () => {
    expect(timeTicks(from, from + 60_000)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => from + i * 10_000));
  });

  it('returns no ticks for an empty span', () => {
    expect(timeTicks(from, from)).toEqual([]);
  });
});

describe('rateTicks', () => {
  it.each([
    [36, [0, 10, 20, 30, 40]],
    [7, [0, 2, 4, 6, 8]],
    [3, [0, 1, 2, 3]],
    [0.4, [0, 0.1, 0.2, 0.3, 0.4]],
    [1234, [0, 500, 1000, 1500]],
  ])('reaches a peak of %d/s on round steps', (peak, expected) => {
    expect(rateTicks(peak)).toEqual(expected);
  });

  it('shows 0 to 1 when nothing happened', () => {
    expect(rateTicks(0)).toEqual([0, 1]);
  });
});
