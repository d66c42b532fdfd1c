import { describe, expect, it } from 'vitest';
import { flowOf, formatDuration, ownerOf, parseDuration, stepsAt, type Catalog } from './catalog.js';
import { NO_ALERTS } from './alertSchema.js';
import type { Flow, OwnershipRule, Team } from './catalogSchema.js';

const team = (id: string): Team => ({ id, name: id });
const TEAMS = ['integration-support', 'finance', 'store-ops'].map(team);

function catalogWith(rules: OwnershipRule[], flows: Flow[] = []): Catalog {
  return {
    flows: new Map(flows.map((f) => [f.id, f])),
    policies: [],
    owners: { teams: new Map(TEAMS.map((t) => [t.id, t])), defaultTeam: TEAMS[0]!, rules },
    views: [],
    alerts: NO_ALERTS,
  };
}

const INVENTORY: Flow = {
  schemaVersion: 1,
  id: 'inventory_sync',
  name: 'Inventory sync',
  description: 'Stock to the ERP and the channels.',
  keys: [],
  channels: ['shopify', 'amazon'],
  variants: [],
  steps: [
    { id: 'pos.sale.captured', systems: ['pos'], milestone: 'source', perChannel: false, occurrences: 1 },
    { id: 'wms.receipt.posted', systems: ['wms'], milestone: 'source', perChannel: false, occurrences: 1 },
    { id: 'erp.inventory.posted', systems: ['erp'], milestone: 'erp_posted', perChannel: false, occurrences: 1 },
    { id: 'channel.published', systems: ['middleware'], milestone: 'published', perChannel: true, occurrences: 1 },
  ],
};

describe('parseDuration', () => {
  it('reads a whole number and a unit as milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('28d')).toBe(2_419_200_000);
  });

  it.each(['5 min', '1.5h', '0s', '90', 's', '', '-5m', '5M'])('refuses %j, naming the text and the expected form', (text) => {
    expect(() => parseDuration(text)).toThrow(
      `"${text}" is not a duration: write a whole number above 0 and a unit (ms, s, m, h, d), e.g. 90s, 5m, 2h, 28d`,
    );
  });
});

describe('formatDuration', () => {
  it('writes the largest unit that divides exactly, so it reads back the same', () => {
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(5_400_000)).toBe('90m');
    expect(formatDuration(1_500)).toBe('1500ms');
    for (const text of ['90s', '5m', '2h', '28d', '250ms']) expect(formatDuration(parseDuration(text))).toBe(text);
  });
});

describe('ownerOf', () => {
  const rules: OwnershipRule[] = [
    { name: 'refund money', when: { error_class: ['business'], flow: ['return_to_refund', 'settlement_to_ledger'] }, owner: 'finance' },
    { name: 'tills', when: { system: ['pos'] }, owner: 'store-ops' },
    { name: 'technical', when: { error_class: ['technical'] }, owner: 'integration-support' },
  ];
  const catalog = catalogWith(rules);

  it('gives the team of the first rule whose every condition holds', () => {
    expect(ownerOf(catalog, { error_class: 'business', flow: 'settlement_to_ledger', system: 'erp' }).id).toBe('finance');
    expect(ownerOf(catalog, { error_class: 'technical', flow: 'inventory_sync', system: 'pos' }).id).toBe('store-ops');
    expect(ownerOf(catalog, { error_class: 'technical', flow: 'return_to_refund', system: 'middleware' }).id).toBe('integration-support');
  });

  it('does not let a rule claim a problem that lacks a field the rule names', () => {
    expect(ownerOf(catalog, { flow: 'return_to_refund' }).id).toBe('integration-support');
  });

  it('falls back to the default team when no rule matches', () => {
    const owner = ownerOf(catalogWith([rules[0]!]), { error_class: 'business', flow: 'order_to_cash' });

    expect(owner).toEqual(team('integration-support'));
  });

  it('matches target_system, channel and step too', () => {
    const routed = catalogWith([
      { name: 'erp refusals', when: { target_system: ['erp'], step: ['erp.invoice.posted'] }, owner: 'finance' },
      { name: 'store channel', when: { channel: ['store'] }, owner: 'store-ops' },
    ]);

    expect(ownerOf(routed, { system: 'middleware', target_system: 'erp', step: 'erp.invoice.posted' }).id).toBe('finance');
    expect(ownerOf(routed, { system: 'middleware', target_system: 'erp', step: 'erp.inventory.posted' }).id).toBe('integration-support');
    expect(ownerOf(routed, { channel: 'store' }).id).toBe('store-ops');
  });
});

describe('flowOf and stepsAt', () => {
  const catalog = catalogWith([], [INVENTORY]);

  it('finds a flow by id, and nothing for an unknown id', () => {
    expect(flowOf(catalog, 'inventory_sync')).toBe(INVENTORY);
    expect(flowOf(catalog, 'order_to_cash')).toBeUndefined();
  });

  it('lists the steps of a milestone in catalog order', () => {
    expect(stepsAt(INVENTORY, 'source').map((s) => s.id)).toEqual(['pos.sale.captured', 'wms.receipt.posted']);
    expect(stepsAt(INVENTORY, 'published').map((s) => s.id)).toEqual(['channel.published']);
    expect(stepsAt(INVENTORY, 'ledger')).toEqual([]);
  });
});
