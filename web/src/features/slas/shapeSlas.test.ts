import { describe, expect, it } from 'vitest';
import type { SlaPolicyStatus } from '../../api/contracts';
import { describeMeasure, filterOptions, formatBudget, formatBurn, formatObjective, formatPercent, shapePolicies, shapePolicy } from './shapeSlas';

const budget = (decided: number, spent: number, objective: number) => ({ allowed: decided * (1 - objective), spent, remaining: decided === 0 ? null : 1 - spent / (decided * (1 - objective)) });

function policy(overrides: Partial<SlaPolicyStatus>): SlaPolicyStatus {
  return {
    id: 'refund-ledger',
    name: 'Refunds in the ledger within 2 min',
    description: null,
    flow: 'return_to_refund',
    severity: 'critical',
    owner: 'finance',
    start_steps: ['payment.refund.created'],
    end_step: 'erp.journal.posted',
    per_channel: false,
    end_channel: null,
    objective: 0.99,
    deadline_ms: 120_000,
    window_ms: 3_600_000,
    group_by: [],
    met: 198,
    late: 1,
    open_breached: 0,
    in_progress: 3,
    attainment: 198 / 199,
    error_budget: budget(199, 1, 0.99),
    burn: { short: { window_ms: 300_000, rate: 0.4 }, long: { window_ms: 3_600_000, rate: 0.5 }, factor: 14.4, alerting: false },
    breaching: false,
    groups: [],
    ...overrides,
  };
}

describe('SLA figures for people', () => {
  it('never rounds an attainment up to its objective', () => {
    expect(formatPercent(0.98999, 0.99)).toBe('98.9 %');
    expect(formatPercent(0.99, 0.99)).toBe('99 %');
    expect(formatPercent(0.9994, 0.999)).toBe('99.94 %');
    expect(formatPercent(1, 0.99)).toBe('100 %');
    expect(formatPercent(null, 0.99)).toBe('–');
    expect(formatObjective(0.99)).toBe('99 %');
    expect(formatObjective(0.995)).toBe('99.5 %');
  });

  it('reads burn rates and the error budget the way on-call says them', () => {
    expect([formatBurn(0.44), formatBurn(14.4), formatBurn(66.66), formatBurn(250.4), formatBurn(null)]).toEqual(['0.4×', '14.4×', '66.7×', '250×', '–']);
    expect([formatBudget(1), formatBudget(0.405), formatBudget(0), formatBudget(-2.2), formatBudget(null)]).toEqual(['100 % left', '40 % left', '0 % left', 'spent 3.2×', '–']);
  });

  it('says what a policy measures, per channel or on one channel', () => {
    expect(describeMeasure(policy({}))).toBe('payment.refund.created → erp.journal.posted within 2 min');
    expect(describeMeasure(policy({ start_steps: ['pos.sale.captured', 'wms.receipt.posted'], end_step: 'channel.published', per_channel: true, deadline_ms: 90_000 }))).toBe(
      'first of pos.sale.captured, wms.receipt.posted → channel.published on each channel within 1 min 30 s',
    );
    expect(describeMeasure(policy({ end_channel: 'amazon' }))).toContain('on amazon');
  });
});

describe('shapePolicies', () => {
  const ledger = policy({ open_breached: 3, late: 1, met: 1, attainment: 0.2, error_budget: budget(5, 4, 0.99), breaching: true, burn: { short: { window_ms: 300_000, rate: 80 }, long: { window_ms: 3_600_000, rate: 80 }, factor: 14.4, alerting: true } });
  const shipped = policy({
    id: 'order-shipped',
    name: 'Online orders shipped within 2 min',
    flow: 'order_to_cash',
    severity: 'warning',
    owner: 'warehouse-ops',
    group_by: ['channel'],
    attainment: 0.9,
    breaching: true,
    open_breached: 0,
    late: 10,
    met: 90,
    error_budget: budget(100, 10, 0.99),
    burn: null,
    groups: [
      { group: { channel: 'amazon' }, met: 30, late: 10, open_breached: 0, in_progress: 0, attainment: 0.75, error_budget: budget(40, 10, 0.99) },
      { group: { channel: 'shopify' }, met: 60, late: 0, open_breached: 0, in_progress: 0, attainment: 1, error_budget: budget(60, 0, 0.99) },
    ],
  });
  const healthy = policy({ id: 'return-refunded', name: 'Returns refunded', owner: 'ecommerce-ops' });
  const idle = policy({ id: 'transfer', name: 'Transfers posted', severity: 'info', owner: 'store-ops', met: 0, late: 0, in_progress: 0, attainment: null, error_budget: budget(0, 0, 0.99), burn: null });
  const all = [healthy, idle, shipped, ledger];
  const none = { owner: '', flow: '', severity: '', breachingOnly: false };

  it('puts breaching policies first, critical before warning, then the lowest attainment', () => {
    expect(shapePolicies(all, none).map((r) => [r.id, r.status.label, r.status.detail, r.status.tone])).toEqual([
      ['refund-ledger', 'Breaching', 'open past the deadline', 'bad'],
      ['order-shipped', 'Breaching', 'under the objective', 'warn'],
      ['return-refunded', 'Met', 'within the objective', 'ok'],
      ['transfer', 'No data', 'nothing started in the window', 'none'],
    ]);
  });

  it('shows attainment against the objective, what is left of the budget and both burn windows against the threshold', () => {
    const row = shapePolicy(ledger);
    expect(row).toMatchObject({ attainment: '20 %', objective: '99 %', attainmentTone: 'bad', budget: 'spent 80×', budgetTone: 'bad', window: '1 h', late: 1, openBreached: 3 });
    expect(row.burn).toEqual({ short: '80×', shortWindow: '5 min', long: '80×', longWindow: '1 h', threshold: '14.4×', alerting: true });
    expect(shapePolicy(healthy)).toMatchObject({ attainment: '99.4 %', attainmentTone: 'ok', budget: '49 % left', budgetTone: 'ok' });
    expect(shapePolicy(idle)).toMatchObject({ attainment: '–', budget: '–', burn: null });
  });

  it('names the worst group of a grouped policy', () => {
    expect(shapePolicy(shipped)).toMatchObject({ worstGroup: 'amazon · 75 %', groups: 2, attainmentTone: 'warn' });
    expect(shapePolicy({ ...shipped, groups: shipped.groups.slice(1) }).worstGroup).toBeNull();
    expect(shapePolicy(ledger).worstGroup).toBeNull();
  });

  it('filters by owner, flow, severity and breaching only, and offers the values there are', () => {
    expect(shapePolicies(all, { ...none, owner: 'finance' }).map((r) => r.id)).toEqual(['refund-ledger']);
    expect(shapePolicies(all, { ...none, breachingOnly: true }).map((r) => r.id)).toEqual(['refund-ledger', 'order-shipped']);
    expect(shapePolicies(all, { ...none, flow: 'order_to_cash', severity: 'critical' })).toEqual([]);
    expect(filterOptions(all)).toEqual({ owners: ['ecommerce-ops', 'finance', 'store-ops', 'warehouse-ops'], flows: ['order_to_cash', 'return_to_refund'], severities: ['critical', 'warning', 'info'] });
  });
});
