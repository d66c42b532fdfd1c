import { describe, expect, it } from 'vitest';
import { describeLookback, describeRisk, shapeStaleStock } from './shapeStaleStock';

describe('shapeStaleStock', () => {
  it('keeps the server\'s riskiest-first order and says the figures as people do', () => {
    const view = shapeStaleStock(
      {
        at: 0,
        threshold_ms: 300_000,
        lookback_ms: 86_400_000,
        rows: [
          { sku: 'SKU-2', location_id: 'store-002', channel: 'amazon', latest_movement_at: 0, stale_ms: 1_800_000, units_sold_per_hour: 6, oversell_risk_units: 3 },
          { sku: 'SKU-1', location_id: 'store-001', channel: 'zalando', latest_movement_at: 0, stale_ms: 600_000, units_sold_per_hour: 0.04, oversell_risk_units: 0.01 },
        ],
      },
      'en-GB',
    );
    expect(view.threshold).toBe('5 min');
    expect(view.lookback).toBe('24 hours');
    expect(view.rows.map((r) => [r.sku, r.channelLabel, r.soldPerHour, r.risk, r.tone])).toEqual([
      ['SKU-2', 'Amazon', '6/h', '≈ 3 units', 'bad'],
      ['SKU-1', 'Zalando', '0/h', '< 0.1 units', 'warn'],
    ]);
  });

  it('names the period sales are counted over', () => {
    expect(describeLookback(3_600_000)).toBe('hour');
    expect(describeLookback(7 * 86_400_000)).toBe('7 d');
  });

  it('describes the oversell risk as an estimate', () => {
    expect(describeRisk(0, 'en-GB')).toBe('none yet');
    expect(describeRisk(0.96, 'en-GB')).toBe('≈ 1 unit');
    expect(describeRisk(12.34, 'en-GB')).toBe('≈ 12.3 units');
  });
});
