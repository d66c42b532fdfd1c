import { describe, expect, it } from 'vitest';
import type { Overview } from '../../api/contracts';
import { freshnessTone, lagTone, shapeOverview, targetLabel } from './shapeOverview';

const overview: Overview = {
  at: 1_000_000,
  throughput: { window_seconds: 300, bucket_seconds: 1, from: 0, to: 0, series: [] },
  inventory: {
    at: 1_000_000,
    window_seconds: 900,
    targets: [
      { target: 'erp', kind: 'erp_posted', count: 40, pending: 0, p50: 900, p95: 2_400, p99: 3_000, max: 3_100, oldest_pending_ms: 0 },
      { target: 'amazon', kind: 'published', count: 40, pending: 12, p50: 30_000, p95: 95_000, p99: 120_000, max: 130_000, oldest_pending_ms: 420_000 },
      { target: 'zalando', kind: 'published', count: 0, pending: 0, p50: 0, p95: 0, p99: 0, max: 0, oldest_pending_ms: 0 },
    ],
  },
  exceptions: {
    total: 7,
    by_bucket: { under_15m: 4, '15m_1h': 2, over_24h: 1 },
    by_owner: { finance: { under_15m: 1, over_24h: 1 }, 'integration-support': { under_15m: 3, '15m_1h': 2 }, 'store-ops': {} },
  },
  slas: {
    policies: 8,
    breaching: [
      { id: 'order-shipped', name: 'Orders shipped', severity: 'warning', owner: 'store-ops', attainment: 0.5, objective: 0.95, late: 2, open_breached: 0, burn_alerting: false },
      { id: 'refund-ledger', name: 'Refunds in the ledger', severity: 'critical', owner: 'finance', attainment: 0.9, objective: 0.99, late: 0, open_breached: 3, burn_alerting: true },
    ],
  },
  freshness: [
    { system: 'pos', last_event_at: 0, last_received_at: 0, seconds_since_last: 4 },
    { system: 'amazon', last_event_at: 0, last_received_at: 0, seconds_since_last: 1_200 },
    { system: 'erp', last_event_at: 0, last_received_at: 0, seconds_since_last: 75 },
  ],
};

describe('shapeOverview', () => {
  it('makes a lag tile per target, with no p95 where no movement is due, and a tone from the worst of p95 and the oldest waiting', () => {
    const { lag } = shapeOverview(overview);
    expect(lag.map((t) => [t.label, t.p95Ms, t.pending, t.tone])).toEqual([
      ['ERP posted', 2_400, 0, 'ok'],
      ['Amazon', 95_000, 12, 'bad'],
      ['Zalando', null, 0, 'none'],
    ]);
  });

  it('counts open exceptions in every age bucket, in order, and lists owners with the most first', () => {
    const { exceptions } = shapeOverview(overview);
    expect(exceptions.buckets.map((b) => [b.label, b.short, b.count])).toEqual([
      ['< 15 min', '<15m', 4],
      ['15 min – 1 h', '15m–1h', 2],
      ['1 – 4 h', '1–4h', 0],
      ['4 – 24 h', '4–24h', 0],
      ['> 24 h', '>24h', 1],
    ]);
    expect(exceptions.owners).toEqual([
      { owner: 'integration-support', total: 5, buckets: [3, 2, 0, 0, 0] },
      { owner: 'finance', total: 2, buckets: [1, 0, 0, 0, 1] },
    ]);
  });

  it('puts critical breaches first, and the longest-silent sources first', () => {
    const view = shapeOverview(overview);
    expect(view.slas.breaching.map((b) => [b.id, b.tone])).toEqual([
      ['refund-ledger', 'bad'],
      ['order-shipped', 'warn'],
    ]);
    expect(view.freshness.map((f) => [f.system, f.tone])).toEqual([
      ['amazon', 'bad'],
      ['erp', 'warn'],
      ['pos', 'ok'],
    ]);
  });

  it('reads targets and tones the way people say them', () => {
    expect(targetLabel('erp')).toBe('ERP posted');
    expect(targetLabel('shopify')).toBe('Shopify');
    expect(lagTone(59_999, 0, 0)).toBe('ok');
    expect(lagTone(60_000, 0, 0)).toBe('warn');
    expect(lagTone(1_000, 1, 300_000)).toBe('bad');
    expect(freshnessTone(59)).toBe('ok');
    expect(freshnessTone(900)).toBe('bad');
  });
});
