import { describe, expect, it } from 'vitest';
import { conditionsFor, CONTRACT_FEE_RATE, demoIncidents, incidentsBetween, SCENARIOS, scenarioIncidents } from './scenarios.js';

const T0 = Date.parse('2026-11-27T12:00:00Z');

describe('scenarioIncidents', () => {
  it('puts operational incidents in the middle half of the run and shaping ones over all of it', () => {
    expect(scenarioIncidents('normal', T0, 100_000)).toEqual([]);
    expect(scenarioIncidents('erp-outage', T0, 100_000)).toEqual([{ kind: 'erp-outage', from: T0 + 20_000, to: T0 + 70_000 }]);
    expect(scenarioIncidents('peak', T0, 100_000)).toEqual([{ kind: 'peak', factor: 10, from: T0, to: T0 + 100_000 }]);
    for (const name of SCENARIOS.filter((s) => s !== 'normal')) expect(scenarioIncidents(name, T0, 100_000)).toHaveLength(1);
  });
});

describe('conditionsFor', () => {
  it('answers the flows\' questions inside a window and not outside it', () => {
    const conditions = conditionsFor(() => [
      ...scenarioIncidents('erp-outage', T0, 100_000),
      ...scenarioIncidents('marketplace-throttle', T0, 100_000),
      ...scenarioIncidents('store-offline', T0, 100_000),
      ...scenarioIncidents('settlement-mismatch', T0, 100_000),
    ]);
    expect(conditions.erpDown(T0 + 19_999)).toBe(false);
    expect(conditions.erpDown(T0 + 20_000)).toBe(true);
    expect(conditions.erpDown(T0 + 70_000)).toBe(false);
    expect(conditions.throttle('amazon', T0 + 30_000)).toBe(1);
    expect(conditions.throttle('zalando', T0 + 30_000)).toBeUndefined();
    expect(conditions.storeBackAt('store-001', T0 + 30_000)).toBe(T0 + 70_000);
    expect(conditions.storeBackAt('store-002', T0 + 30_000)).toBeUndefined();
    expect(conditions.feeRate('amazon', T0)).toBe(0.17);
    expect(conditions.feeRate('zalando', T0)).toBe(CONTRACT_FEE_RATE);
    expect(conditions.trafficFactor(T0)).toBe(1);
  });
});

describe('demoIncidents', () => {
  it('starts healthy, then runs a 90-second incident every four minutes, rotating through them', () => {
    const at = demoIncidents(T0);
    expect(at(T0 + 59_000)).toEqual([]);
    expect(at(T0 + 60_000)).toEqual([{ kind: 'erp-outage', from: T0 + 60_000, to: T0 + 150_000 }]);
    expect(at(T0 + 150_000)).toEqual([{ kind: 'erp-outage', from: T0 + 60_000, to: T0 + 150_000 }]);
    const kinds = incidentsBetween(at, T0, T0 + 26 * 60_000, 30_000).map((i) => i.kind);
    expect(kinds).toEqual(['erp-outage', 'marketplace-throttle', 'store-offline', 'refund-lost', 'settlement-mismatch', 'duplicates', 'erp-outage']);
    const conditions = conditionsFor(at);
    expect(conditions.erpDown(T0 + 100_000)).toBe(true);
    expect(conditions.erpDown(T0 + 160_000)).toBe(false);
  });
});
