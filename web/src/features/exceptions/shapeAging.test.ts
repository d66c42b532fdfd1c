import { describe, expect, it } from 'vitest';
import type { ExceptionAging } from '../../api/contracts';
import { agingSummaryText, countTicks, shapeAging } from './shapeAging';

const buckets = [
  { id: 'under_15m', label: '< 15 min' },
  { id: '15m_1h', label: '15 min – 1 h' },
  { id: '1h_4h', label: '1 – 4 h' },
  { id: '4h_24h', label: '4 – 24 h' },
  { id: 'over_24h', label: '> 24 h' },
];
const aging = (over: Partial<ExceptionAging> = {}): ExceptionAging => ({
  at: 0,
  lookback_ms: 0,
  buckets,
  total: 5,
  by_bucket: { under_15m: 2, '15m_1h': 0, '1h_4h': 1, '4h_24h': 1, over_24h: 1 },
  by_owner: { finance: { under_15m: 1, over_24h: 1, '4h_24h': 1 }, 'integration-support': { under_15m: 1, '1h_4h': 1 } },
  by_flow: {},
  by_system: {},
  owners: { finance: 'Finance operations', 'integration-support': 'Integration support' },
  ...over,
});

describe('the aging chart', () => {
  it('draws one bar per owner, by name, most open first, stacked from fresh to stale', () => {
    const shaped = shapeAging(aging(), 'owner');
    expect(shaped.rows.map((r) => [r.group, r.label, r.total])).toEqual([
      ['finance', 'Finance operations', 3],
      ['integration-support', 'Integration support', 2],
    ]);
    expect(shaped.rows[1]!.counts).toEqual({ under_15m: 1, '15m_1h': 0, '1h_4h': 1, '4h_24h': 0, over_24h: 0 });
    expect(shaped.buckets.map((b) => b.label)).toEqual(['< 15 min', '15 min – 1 h', '1 – 4 h', '4 – 24 h', '> 24 h']);
    expect(shaped.maxTotal).toBe(3);
  });

  it('sums groups past six into one bar, so the chart keeps its height', () => {
    const by_flow = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`flow_${i}`, { under_15m: 8 - i }]));
    const shaped = shapeAging(aging({ by_flow }), 'flow');
    expect(shaped.rows).toHaveLength(6);
    expect(shaped.rows.at(-1)).toMatchObject({ group: '', label: '3 others', total: 3 + 2 + 1 });
    expect(shaped.otherGroups).toBe(3);
  });

  it('says how many are open and how many have waited long', () => {
    expect(agingSummaryText(aging())).toBe('5 open · 2 older than 4 h');
    expect(agingSummaryText(aging({ total: 2, by_bucket: { under_15m: 2 } }))).toBe('2 open, none older than 4 h');
    expect(agingSummaryText(aging({ total: 0, by_bucket: {} }))).toBe('Nothing open');
  });

  it('puts whole, round numbers on the count axis', () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(countTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });
});
