import { describe, expect, it } from 'vitest';
import { lagTargets, oversellRisk, shapeInventoryLag, shapeLagByLocation, shapeLagNow, shapeMovements, shapeStaleStock } from './inventoryLag.js';

const row = (target: string, p95: number, extra: Record<string, number> = {}) => ({ target, count: 2, pending: 0, p50: p95 / 2, p95, p99: p95, max: p95, ...extra });

describe('inventory lag shaping', () => {
  it('lists the ERP first, then each channel, and shows a target without movements as zero', () => {
    expect(lagTargets(['shopify', 'amazon']).map((t) => `${t.target}:${t.kind}`)).toEqual(['erp:erp_posted', 'shopify:published', 'amazon:published']);
    const shaped = shapeInventoryLag({ from: 0, to: 60_000 }, ['shopify', 'amazon'], [row('amazon', 9_000), row('erp', 2_000)], [
      { ...row('amazon', 9_000), t: 60_000 },
      { ...row('amazon', 7_000), t: 0 },
    ]);
    expect(shaped.targets.map((t) => [t.target, t.summary.p95, t.series.map((s) => s.t)])).toEqual([
      ['erp', 2_000, []],
      ['shopify', 0, []],
      ['amazon', 9_000, [0, 60_000]],
    ]);
    expect(shaped).toMatchObject({ bucket_seconds: 60, location: null, sku: null });
  });

  it('gives the oldest pending movement per target now', () => {
    const now = shapeLagNow(1_000, 900_000, ['shopify'], [{ ...row('shopify', 5_000, { pending: 1 }), oldestPendingMs: 42_000 }]);
    expect(now.targets).toEqual([
      { target: 'erp', kind: 'erp_posted', count: 0, pending: 0, p50: 0, p95: 0, p99: 0, max: 0, oldest_pending_ms: 0 },
      { target: 'shopify', kind: 'published', count: 2, pending: 1, p50: 2_500, p95: 5_000, p99: 5_000, max: 5_000, oldest_pending_ms: 42_000 },
    ]);
    expect(now.window_seconds).toBe(900);
  });

  it('puts oversell risk as the units sold while the channel still shows old stock', () => {
    // 12 sold in 24 h = 0.5/h; stale for 3 h → 1.5 units at risk.
    expect(oversellRisk(12, 24 * 3_600_000, 3 * 3_600_000)).toEqual({ perHour: 0.5, units: 1.5 });
    expect(oversellRisk(0, 3_600_000, 3_600_000)).toEqual({ perHour: 0, units: 0 });
    const stale = shapeStaleStock(0, 60_000, 3_600_000, [
      { sku: 'A', location_id: 's1', channel: 'amazon', latestSourceMs: 1, staleMs: 600_000, unitsSold: 1 },
      { sku: 'B', location_id: 's2', channel: 'amazon', latestSourceMs: 1, staleMs: 300_000, unitsSold: 12 },
    ]);
    expect(stale.rows.map((r) => [r.sku, r.units_sold_per_hour, r.oversell_risk_units])).toEqual([
      ['B', 12, 1],
      ['A', 1, 0.17],
    ]);
  });

  it('gives each location of the heatmap a cell per target, ERP first, in the order the store ranked them', () => {
    const cell = (location: string, target: string, p95: number, worstMs: number, oldestPendingMs = 0) => ({ ...row(target, p95), location, oldestPendingMs, worstMs });
    const shaped = shapeLagByLocation({ from: 0, to: 60_000, at: 90_000, percentile: 'p95' }, ['shopify', 'amazon'], [
      cell('store-009', 'amazon', 0, 480_000, 480_000),
      cell('store-001', 'erp', 2_000, 9_000),
      cell('store-001', 'amazon', 9_000, 9_000),
    ], 40);
    expect(shaped.rows.map((r) => [r.location, r.worst_ms, r.targets.map((t) => [t.target, t.p95, t.oldest_pending_ms])])).toEqual([
      ['store-009', 480_000, [['erp', 0, 0], ['shopify', 0, 0], ['amazon', 0, 480_000]]],
      ['store-001', 9_000, [['erp', 2_000, 0], ['shopify', 0, 0], ['amazon', 9_000, 0]]],
    ]);
    expect(shaped).toMatchObject({ locations_total: 40, percentile: 'p95', sku: null, targets: [{ target: 'erp' }, { target: 'shopify' }, { target: 'amazon' }] });
  });

  it('says when each movement behind a point reached the target, or that it has not yet', () => {
    const base = { sourceStep: 'pos.sale.captured', locationId: 's1', sku: 'A', quantity: -1 };
    const shaped = shapeMovements({ from: 0, to: 60_000, at: 700_000, target: 'amazon', location: 's1' }, {
      count: 7,
      pending: 1,
      rows: [
        { ...base, correlationId: 'waiting', sourceMs: 10_000, doneMs: 0, lagMs: 690_000 },
        { ...base, correlationId: 'done', sourceMs: 20_000, doneMs: 50_000, lagMs: 30_000 },
      ],
    });
    expect(shaped.movements.map((m) => [m.correlation_id, m.reached_at, m.lag_ms])).toEqual([
      ['waiting', null, 690_000],
      ['done', 50_000, 30_000],
    ]);
    expect(shaped).toMatchObject({ count: 7, pending: 1, location: 's1', sku: null, target: 'amazon' });
  });
});
