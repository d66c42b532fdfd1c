import { describe, expect, it } from 'vitest';
import { shapeThroughput } from './throughput.js';

const FROM = 1_795_773_600_000;
const TO = FROM + 60_000;

describe('shapeThroughput', () => {
  it('makes one series per flow, flows sorted by name and points by time', () => {
    const rows = [
      { flow: 'return_to_refund', t: FROM + 2000, count: 1 },
      { flow: 'order_to_cash', t: FROM + 3000, count: 7 },
      { flow: 'inventory_sync', t: FROM + 1000, count: 4 },
      { flow: 'order_to_cash', t: FROM + 1000, count: 5 },
    ];

    const shaped = shapeThroughput(rows, 60, FROM, TO);

    expect(shaped.series).toEqual([
      { flow: 'inventory_sync', points: [{ t: FROM + 1000, count: 4 }] },
      {
        flow: 'order_to_cash',
        points: [
          { t: FROM + 1000, count: 5 },
          { t: FROM + 3000, count: 7 },
        ],
      },
      { flow: 'return_to_refund', points: [{ t: FROM + 2000, count: 1 }] },
    ]);
  });

  it('describes the window it covers, in one-second buckets', () => {
    expect(shapeThroughput([], 60, FROM, TO)).toEqual({ window_seconds: 60, bucket_seconds: 1, from: FROM, to: TO, series: [] });
  });

  it('keeps the first second of the window and drops points outside [from, to)', () => {
    const rows = [
      { flow: 'transfer', t: FROM - 1000, count: 1 },
      { flow: 'transfer', t: FROM, count: 2 },
      { flow: 'transfer', t: TO - 1000, count: 3 },
      { flow: 'transfer', t: TO, count: 4 },
      { flow: 'late_flow', t: TO + 5000, count: 9 },
    ];

    const shaped = shapeThroughput(rows, 60, FROM, TO);

    expect(shaped.series).toEqual([
      {
        flow: 'transfer',
        points: [
          { t: FROM, count: 2 },
          { t: TO - 1000, count: 3 },
        ],
      },
    ]);
  });

  it('leaves out a flow whose points all fall outside the window', () => {
    const shaped = shapeThroughput([{ flow: 'old_flow', t: FROM - 60_000, count: 3 }], 60, FROM, TO);

    expect(shaped.series).toEqual([]);
  });
});
