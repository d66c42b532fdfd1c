import { describe, expect, it } from 'vitest';
import { lagTargets, oversellRisk, shapeInventoryLag, shapeLagNow, shapeStaleStock } from './inventoryLag.js';

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
});
