import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_FLOWS } from '../server/contracts/canonicalEvent.js';
import { PANEL_KINDS } from '../server/contracts/dashboardViews.js';
import { ownerOf } from '../server/catalog/catalog.js';
import { receiversFor } from '../server/domain/alertNotifications.js';
import { loadCatalog } from '../server/catalog/loadCatalog.js';
import { createEstate } from '../server/simulator/estate.js';

/** Every file in this folder, loaded the way the server loads it at boot. */
const DIR = fileURLToPath(new URL('.', import.meta.url));
const catalog = loadCatalog(DIR);

/** The steps of docs/simulator.md's "Flows and steps" table: what the simulated estate (and so the demo) emits. */
const SIMULATED_STEPS: Record<(typeof KNOWN_FLOWS)[number], string[]> = {
  inventory_sync: ['pos.sale.captured', 'pos.return.captured', 'wms.receipt.posted', 'middleware.movement.received', 'erp.inventory.posted', 'channel.published'],
  transfer: ['wms.transfer.shipped', 'wms.transfer.received', 'erp.transfer.posted'],
  order_to_cash: [
    'shop.order.created',
    'payment.charge.succeeded',
    'marketplace.order.received',
    'oms.order.released',
    'wms.order.shipped',
    'shop.fulfillment.created',
    'marketplace.shipment.confirmed',
    'erp.invoice.posted',
  ],
  return_to_refund: ['oms.return.received', 'wms.return.inspected', 'oms.refund.approved', 'payment.refund.created', 'erp.credit_memo.posted', 'erp.journal.posted'],
  settlement_to_ledger: ['marketplace.settlement.reported', 'marketplace.settlement.line', 'payment.payout.paid', 'erp.journal.posted'],
};

const sorted = (values: Iterable<string>) => [...values].sort();

describe('the dashboards/ catalog', () => {
  it('has one file per known flow, named for it, and nothing else', () => {
    const files = readdirSync(new URL('flows/', import.meta.url)).filter((f) => f.endsWith('.yaml'));

    expect(sorted(files)).toEqual(sorted(KNOWN_FLOWS.map((flow) => `${flow}.yaml`)));
    expect(sorted(catalog.flows.keys())).toEqual(sorted(KNOWN_FLOWS));
  });

  it('describes exactly the steps the simulated estate emits', () => {
    for (const flow of KNOWN_FLOWS) {
      expect({ flow, steps: sorted(catalog.flows.get(flow)!.steps.map((s) => s.id)) }).toEqual({ flow, steps: sorted(SIMULATED_STEPS[flow]) });
    }
  });

  it('agrees with the flows table of docs/simulator.md, so the two cannot drift apart', () => {
    const doc = readFileSync(new URL('../docs/simulator.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## Flows and steps'), doc.indexOf('Keys stitch the flows'));
    const documented = new Map<string, Set<string>>();
    for (const row of table.split('\n').filter((line) => line.startsWith('| `'))) {
      const [, flowCell = '', , stepsCell = ''] = row.split(/(?<!\\)\|/);
      const flow = /`([a-z_]+)`/.exec(flowCell)![1]!;
      const steps = [...stepsCell.matchAll(/`([a-z_]+(?:\.[a-z_]+)+)`/g)].map((m) => m[1]!);
      documented.set(flow, new Set([...(documented.get(flow) ?? []), ...steps]));
    }

    expect(sorted(documented.keys())).toEqual(sorted(KNOWN_FLOWS));
    for (const flow of KNOWN_FLOWS) expect({ flow, steps: sorted(documented.get(flow)!) }).toEqual({ flow, steps: sorted(SIMULATED_STEPS[flow]) });
  });

  it('publishes stock to the channels the simulated estate sells on', () => {
    expect(catalog.flows.get('inventory_sync')!.channels).toEqual([...createEstate(1).channels]);
  });

  it('gives every policy and team its own id', () => {
    const policyFiles = readdirSync(new URL('slas/', import.meta.url)).filter((f) => f.endsWith('.yaml'));
    const teams = [...catalog.owners.teams.keys()];

    expect(sorted(catalog.policies.map((p) => `${p.id}.yaml`))).toEqual(sorted(policyFiles));
    expect(new Set(catalog.policies.map((p) => p.id)).size).toBe(catalog.policies.length);
    expect(sorted(teams)).toEqual(['ecommerce-ops', 'finance', 'integration-support', 'store-ops', 'warehouse-ops']);
  });

  it('holds SLA policies whose deadlines (in seconds) the normal scenario meets and the incidents break', () => {
    expect(catalog.policies.map((p) => [p.id, p.flow, p.deadline / 1000, p.objective, p.owner])).toEqual([
      ['inventory-erp-posted', 'inventory_sync', 60, 0.99, 'integration-support'],
      ['inventory-published', 'inventory_sync', 90, 0.99, 'ecommerce-ops'],
      ['order-invoiced', 'order_to_cash', 180, 0.99, 'finance'],
      ['order-shipped', 'order_to_cash', 120, 0.99, 'warehouse-ops'],
      ['refund-ledger', 'return_to_refund', 120, 0.99, 'finance'],
      ['return-refunded', 'return_to_refund', 90, 0.99, 'ecommerce-ops'],
      ['settlement-ledger', 'settlement_to_ledger', 60, 0.99, 'finance'],
      ['transfer-erp-posted', 'transfer', 180, 0.99, 'store-ops'],
    ]);
  });

  it('measures every policy between real steps of its flow', () => {
    for (const policy of catalog.policies) {
      const steps = catalog.flows.get(policy.flow)!.steps.map((s) => s.id);
      expect({ policy: policy.id, missing: [...policy.start.steps, policy.end.step].filter((s) => !steps.includes(s)) }).toEqual({ policy: policy.id, missing: [] });
    }
  });

  it('routes problems to the team that can fix them', () => {
    const owner = (facts: Parameters<typeof ownerOf>[1]) => ownerOf(catalog, facts).id;

    // A refund the ledger disagrees with is a money question.
    expect(owner({ error_class: 'business', flow: 'return_to_refund', system: 'erp', step: 'erp.credit_memo.posted' })).toBe('finance');
    expect(owner({ error_class: 'business', flow: 'settlement_to_ledger', system: 'amazon', step: 'marketplace.settlement.line' })).toBe('finance');
    // The middleware's failed ERP posting during an outage (docs/simulator.md) is for integration support.
    expect(owner({ error_class: 'technical', flow: 'inventory_sync', system: 'middleware', target_system: 'erp', step: 'erp.inventory.posted' })).toBe('integration-support');
    // A throttled listing update too; the channel is a fact, not an owner.
    expect(owner({ error_class: 'technical', flow: 'inventory_sync', system: 'middleware', target_system: 'amazon', channel: 'amazon', step: 'channel.published' })).toBe('integration-support');
    // Tills and POS files belong to the stores, whatever went wrong.
    expect(owner({ error_class: 'technical', flow: 'inventory_sync', system: 'pos', channel: 'store', step: 'pos.sale.captured' })).toBe('store-ops');
    expect(owner({ error_class: 'business', flow: 'inventory_sync', system: 'pos', step: 'pos.return.captured' })).toBe('store-ops');
    expect(owner({ error_class: 'business', flow: 'order_to_cash', system: 'wms', step: 'wms.order.shipped' })).toBe('warehouse-ops');
    expect(owner({ error_class: 'business', flow: 'order_to_cash', system: 'shopify', channel: 'shopify', step: 'shop.order.created' })).toBe('ecommerce-ops');
    expect(owner({ flow: 'custom_flow' })).toBe('integration-support');
  });

  it('opens on the peak-period wall and offers every screen of the dashboard, using every kind of panel', () => {
    const files = readdirSync(new URL('views/', import.meta.url)).filter((f) => f.endsWith('.yaml'));

    expect(catalog.views.map((v) => v.id)).toEqual(['overview', 'inventory', 'exceptions', 'slas', 'lineage', 'reconciliation', 'alerts', 'replay', 'audit']);
    expect(files).toHaveLength(catalog.views.length);
    expect(sorted(new Set(catalog.views.flatMap((v) => v.panels.map((p) => p.kind))))).toEqual(sorted(PANEL_KINDS));
  });

  it('alerts on every policy, and sends every alert somewhere, paging on-call only for critical policies', () => {
    const { rules, routes, receivers } = catalog.alerts;
    const covered = (policy: (typeof catalog.policies)[number]) =>
      rules.filter((r) => (r.policies === '*' || r.policies.includes(policy.id)) && (r.condition === 'deadline' || policy.burnRate !== undefined)).map((r) => r.id);
    expect(catalog.policies.filter((p) => covered(p).length === 0).map((p) => p.id)).toEqual([]);
    for (const policy of catalog.policies) {
      for (const rule of covered(policy)) {
        const to = receiversFor({ severity: policy.severity, owner: policy.owner, flow: policy.flow, policy: policy.id, rule }, routes).map((r) => receivers.get(r.receiver)!.type);
        expect({ policy: policy.id, rule, pages: to.includes('pagerduty'), heard: to.length > 0 }).toEqual({ policy: policy.id, rule, pages: policy.severity === 'critical', heard: true });
      }
    }
  });

  it('keeps alert secrets out of the files: every receiver reads its URL or key from the environment', () => {
    // Loaded without an environment, as here, every receiver is off and says which variable it needs.
    expect(catalog.alerts.unconfigured).toHaveLength(catalog.alerts.receivers.size);
    for (const receiver of catalog.alerts.receivers.values()) expect(receiver.missing.every((name) => name.startsWith('FLOWLENS_'))).toBe(true);
  });
});
