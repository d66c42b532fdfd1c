import { describe, expect, it } from 'vitest';
import { alertRuleSchema, type AlertRule } from '../catalog/alertSchema.js';
import type { SlaPolicyStatus, SlaStatus } from '../contracts/slaApi.js';
import { alertConditions, alertIdOf, dedupKeyOf, percent } from './alerts.js';

const budget = { allowed: 1, spent: 0, remaining: 1 };
const figures = { met: 90, late: 2, open_breached: 8, in_progress: 3, attainment: 0.9, error_budget: budget };

function policy(fields: Partial<SlaPolicyStatus> = {}): SlaPolicyStatus {
  return {
    id: 'order-shipped',
    name: 'Online orders shipped within 2 min',
    description: null,
    flow: 'order_to_cash',
    severity: 'warning',
    owner: 'warehouse-ops',
    start_steps: ['shop.order.created'],
    end_step: 'wms.order.shipped',
    per_channel: false,
    end_channel: null,
    objective: 0.99,
    deadline_ms: 120_000,
    window_ms: 3_600_000,
    group_by: ['channel'],
    ...figures,
    burn: null,
    breaching: true,
    groups: [
      { group: { channel: 'amazon' }, ...figures, late: 0, open_breached: 7, attainment: 0.812 },
      { group: { channel: 'shopify' }, ...figures, late: 2, open_breached: 1, attainment: 0.97 },
    ],
    ...fields,
  };
}

const burning = (alerting: boolean) => ({ short: { window_ms: 300_000, rate: 25 }, long: { window_ms: 3_600_000, rate: alerting ? 18.25 : 3 }, factor: 14.4, alerting });
const rule = (fields: Record<string, unknown>): AlertRule => alertRuleSchema.parse({ id: 'r', name: 'A rule', policies: '*', condition: 'deadline', ...fields });
const status = (...policies: SlaPolicyStatus[]): SlaStatus => ({ at: 1_000, policies });

describe('alert ids', () => {
  it('derives the dedup key from the rule, the policy and the group only, so every server and restart agrees', () => {
    expect(dedupKeyOf('channel-stuck', 'order-shipped', { channel: 'amazon' })).toBe('flowlens/channel-stuck/order-shipped/channel=amazon');
    expect(dedupKeyOf('burn', 'refund-ledger', {})).toBe('flowlens/burn/refund-ledger');
    expect(alertIdOf('flowlens/burn/refund-ledger')).toBe(alertIdOf('flowlens/burn/refund-ledger'));
    expect(alertIdOf('flowlens/burn/refund-ledger')).toMatch(/^[0-9a-f]{16}$/);
    expect(alertIdOf('flowlens/burn/refund-ledger')).not.toBe(alertIdOf('flowlens/burn/order-invoiced'));
  });

  it('keeps a value with separators in it from faking another group, and a long key within PagerDuty\'s 255 characters', () => {
    expect(dedupKeyOf('r', 'p', { location_id: 'a/b,c=d' })).toBe('flowlens/r/p/location_id=a%2Fb%2Cc%3Dd');
    const long = dedupKeyOf('r', 'p', { sku: 'x'.repeat(400) });
    expect(long).toHaveLength(255);
    expect(long).not.toBe(dedupKeyOf('r', 'p', { sku: `${'x'.repeat(399)}y` }));
  });
});

describe('alertConditions', () => {
  it('holds a burn rule to the policy\'s multi-window burn alert, and skips policies without one', () => {
    const conditions = alertConditions(status(policy({ id: 'refund-ledger', burn: burning(true) }), policy()), [rule({ id: 'burn', condition: 'burn' })]);

    expect(conditions).toHaveLength(1);
    expect(conditions[0]).toMatchObject({ rule: 'burn', policy: 'refund-ledger', group: {}, holds: true, dedup_key: 'flowlens/burn/refund-ledger', severity: 'warning', owner: 'warehouse-ops' });
    expect(conditions[0]!.details.summary).toBe('Online orders shipped within 2 min: error budget burning 25.0× over 5m and 18.3× over 1h (alert above 14.4×); attainment 90 % against 99 %');
    expect(alertConditions(status(policy({ burn: burning(false) })), [rule({ id: 'burn', condition: 'burn' })])[0]!.holds).toBe(false);
  });

  it('counts deadline breaches against the threshold, over the policy or per group', () => {
    const perPolicy = alertConditions(status(policy()), [rule({ threshold: 8 })]);
    expect(perPolicy.map((c) => [c.dedup_key, c.holds, c.details.facts.counted])).toEqual([['flowlens/r/order-shipped', true, 8]]);

    const perGroup = alertConditions(status(policy()), [rule({ threshold: 5, groupBy: 'group', outcomes: ['open_breached', 'late'] })]);
    expect(perGroup.map((c) => [c.dedup_key, c.holds, c.details.facts.counted, c.details.facts.attainment])).toEqual([
      ['flowlens/r/order-shipped/channel=amazon', true, 7, 0.812],
      ['flowlens/r/order-shipped/channel=shopify', false, 3, 0.97],
    ]);
    expect(perGroup[0]!.details.summary).toBe('Online orders shipped within 2 min [channel=amazon]: 7 open past and 0 finished later than the 2m deadline (alert at 5); attainment 81.2 % against 99 %');
  });

  it('applies a rule to the policies it names, with its severity over the policy\'s', () => {
    const conditions = alertConditions(status(policy(), policy({ id: 'refund-ledger', severity: 'critical' })), [rule({ policies: ['refund-ledger'], severity: 'info' })]);
    expect(conditions.map((c) => [c.policy, c.severity])).toEqual([['refund-ledger', 'info']]);
  });

  it('gives a grouped rule on an ungrouped policy one alert for the policy', () => {
    const conditions = alertConditions(status(policy({ group_by: [], groups: [] })), [rule({ groupBy: 'group' })]);
    expect(conditions.map((c) => c.dedup_key)).toEqual(['flowlens/r/order-shipped']);
  });
});

describe('percent', () => {
  it('rounds down, so an attainment is never shown better than it is', () => {
    expect([percent(0.99), percent(0.6667), percent(1), percent(null)]).toEqual(['99 %', '66.6 %', '100 %', 'n/a']);
  });
});
