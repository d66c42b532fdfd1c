import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PANEL_KINDS } from '../contracts/dashboardViews.js';
import { ownerOf } from './catalog.js';
import { CatalogError, loadCatalog } from './loadCatalog.js';

const INVENTORY = `schemaVersion: 1
id: inventory_sync
name: Inventory sync
description: Stock to the ERP and the channels.
keys: [receipt_id]
channels: [shopify, amazon]
steps:
  - { id: pos.sale.captured, system: pos, milestone: source }
  - { id: erp.inventory.posted, system: erp, milestone: erp_posted }
  - { id: channel.published, system: middleware, milestone: published, perChannel: true }
`;

const RETURNS = `schemaVersion: 1
id: return_to_refund
name: Return to refund
description: From the return to the refund in the ledger.
keys: [refund_id]
steps:
  - { id: payment.refund.created, system: stripe, milestone: source }
  - { id: erp.journal.posted, system: erp, milestone: ledger, occurrences: 2 }
`;

const PUBLISHED = `schemaVersion: 1
id: inventory-published
name: Stock visible on every channel within 90 s
flow: inventory_sync
start: { steps: [pos.sale.captured] }
end: { step: channel.published, perChannel: true }
deadline: 90s
objective: 0.99
window: 1h
groupBy: [channel]
severity: critical
owner: ecommerce-ops
`;

const OWNERS = `schemaVersion: 1
default: integration-support
teams:
  - { id: integration-support, name: Integration support }
  - { id: ecommerce-ops, name: Ecommerce operations }
  - { id: finance, name: Finance }
rules:
  - name: Refund money
    when: { error_class: business, flow: return_to_refund }
    owner: finance
`;

const sla = (fields: string) => `schemaVersion: 1
name: A policy
deadline: 90s
objective: 0.99
window: 1h
severity: warning
${fields}
`;

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A `dashboards` folder in a fresh temp folder, holding these files. */
function catalogFolder(files: Record<string, string>): string {
  root = mkdtempSync(path.join(tmpdir(), 'flowlens-catalog-'));
  const dir = path.join(root, 'dashboards');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function problemsLoading(dir: string): string[] {
  try {
    loadCatalog(dir);
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected the catalog to be refused');
}

describe('loadCatalog', () => {
  it('loads flows by id, policies in id order and the ownership rules', () => {
    const dir = catalogFolder({
      'flows/inventory_sync.yaml': INVENTORY,
      'flows/return_to_refund.yaml': RETURNS,
      'slas/inventory-published.yaml': PUBLISHED,
      'slas/refund-ledger.yaml': sla('id: refund-ledger\nflow: return_to_refund\nstart: { steps: [payment.refund.created] }\nend: { step: erp.journal.posted }\nowner: finance'),
      'owners.yaml': OWNERS,
      'README.md': 'not read',
    });

    const catalog = loadCatalog(dir);

    expect([...catalog.flows.keys()]).toEqual(['inventory_sync', 'return_to_refund']);
    expect(catalog.policies.map((p) => [p.id, p.deadline, p.window])).toEqual([
      ['inventory-published', 90_000, 3_600_000],
      ['refund-ledger', 90_000, 3_600_000],
    ]);
    expect(catalog.owners.defaultTeam.id).toBe('integration-support');
    expect(ownerOf(catalog, { error_class: 'business', flow: 'return_to_refund' }).name).toBe('Finance');
  });

  it('reports every problem of every file at once, each naming its file and field', () => {
    const dir = catalogFolder({
      'flows/inventory_sync.yaml': INVENTORY,
      'flows/return_to_refund.yaml': RETURNS,
      'flows/broken.yaml': 'schemaVersion: 1\nid: broken\nsteps: [a.b, c.d\nname: Broken\n',
      'flows/transfer.yaml': 'schemaVersion: 1\nid: transfer\nname: Transfer\ndescription: Store transfers.\nsteps:\n  - { id: wms.transfer.shipped }\n',
      'flows/order_to_cash.yaml': RETURNS.replace('id: return_to_refund', 'id: order_to_cash_v2'),
      'slas/refund-ledger.yaml': sla(
        'id: refund-ledger\nflow: return_to_refund\nstart: { steps: [payment.refund.created] }\nend: { step: erp.journal.postd }\ngroupBy: [key:rma_id]\nowner: fnance',
      ),
      'slas/stock-amazon.yaml': sla('id: stock-amazon\nflow: inventory_sync\nstart: { steps: [pos.sale.capturd] }\nend: { step: channel.published, channel: ebay }\nowner: ecommerce-ops'),
      'slas/stock-all.yaml': sla('id: stock-all\nflow: inventory_sync\nstart: { steps: [pos.sale.captured] }\nend: { step: channel.published }\nowner: ecommerce-ops'),
      'slas/stock-erp.yaml': sla('id: stock-erp\nflow: inventory_sync\nstart: { steps: [pos.sale.captured] }\nend: { step: erp.inventory.posted, perChannel: true }\nowner: ecommerce-ops'),
      'slas/transfer-posted.yaml': sla('id: transfer-posted\nflow: transfer\nstart: { steps: [wms.transfer.shipped] }\nend: { step: erp.transfer.posted }\nowner: finance'),
      'slas/orphan.yaml': sla('id: orphan\nflow: returns\nstart: { steps: [a.b] }\nend: { step: c.d }\nowner: finance'),
      'slas/copy.yaml': PUBLISHED,
      'slas/late.yaml': sla('id: late\nflow: inventory_sync\nstart: { steps: [pos.sale.captured] }\nend: { step: erp.inventory.posted }\nowner: finance').replace('90s', '2h'),
      'slas/old.yml': PUBLISHED,
      'owners.yaml': OWNERS.replace('flow: return_to_refund', 'flow: [return_to_refund, returns]') + '  - { name: Tills, when: { flow: inventory_sync, step: pos.sale.capturd }, owner: finance }\n',
    });

    expect(problemsLoading(dir)).toEqual([
      'dashboards/flows/broken.yaml:4: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'dashboards/flows/order_to_cash.yaml: id: "order_to_cash_v2" must match the file name (order_to_cash.yaml holds the flow "order_to_cash")',
      'dashboards/flows/transfer.yaml: steps[0].system: is required',
      'dashboards/slas/old.yml: rename it to .yaml (only .yaml files are read)',
      'dashboards/slas/copy.yaml: id: "inventory-published" must match the file name (copy.yaml holds the policy "copy")',
      'dashboards/slas/late.yaml: deadline: 2h must be shorter than the window (1h)',
      'dashboards/slas/orphan.yaml: flow: "returns" is not a flow of the catalog (flows: inventory_sync, order_to_cash_v2, return_to_refund)',
      'dashboards/slas/refund-ledger.yaml: owner: "fnance" is not a team in owners.yaml (teams: integration-support, ecommerce-ops, finance)',
      'dashboards/slas/refund-ledger.yaml: end.step: "erp.journal.postd" is not a step of flow return_to_refund',
      'dashboards/slas/refund-ledger.yaml: groupBy[0]: "rma_id" is not a business key of flow return_to_refund (keys: refund_id)',
      'dashboards/slas/stock-all.yaml: end: step channel.published happens once per channel: set perChannel: true, or channel: one of shopify, amazon',
      'dashboards/slas/stock-amazon.yaml: start.steps[0]: "pos.sale.capturd" is not a step of flow inventory_sync',
      'dashboards/slas/stock-amazon.yaml: end.channel: "ebay" is not a channel of flow inventory_sync (channels: shopify, amazon)',
      'dashboards/slas/stock-erp.yaml: end.perChannel: step erp.inventory.posted of flow inventory_sync happens once, not per channel',
      'dashboards/owners.yaml: rules[0].when.flow: "returns" is not a flow of the catalog (flows: inventory_sync, order_to_cash_v2, return_to_refund)',
    ]);
  });

  it('checks the steps an ownership rule names once every flow file loads', () => {
    const dir = catalogFolder({
      'flows/inventory_sync.yaml': INVENTORY,
      'slas/inventory-published.yaml': PUBLISHED,
      'owners.yaml': `${OWNERS}  - { name: Tills, when: { flow: inventory_sync, step: pos.sale.capturd }, owner: ecommerce-ops }\n  - { name: Any, when: { step: [erp.journal.posted] }, owner: finance }\n`,
    });

    expect(problemsLoading(dir)).toEqual([
      'dashboards/owners.yaml: rules[0].when.flow: "return_to_refund" is not a flow of the catalog (flows: inventory_sync)',
      'dashboards/owners.yaml: rules[1].when.step: "pos.sale.capturd" is not a step of flow inventory_sync',
      'dashboards/owners.yaml: rules[2].when.step: "erp.journal.posted" is not a step of any flow',
    ]);
  });

  it('names two files that claim one id, a repeated YAML key and a version it cannot read', () => {
    const dir = catalogFolder({
      'flows/inventory_sync.yaml': INVENTORY,
      'flows/stock.yaml': INVENTORY,
      'flows/return_to_refund.yaml': RETURNS,
      'slas/inventory-published.yaml': PUBLISHED.replace('severity: critical', 'severity: critical\nseverity: info'),
      'slas/next.yaml': PUBLISHED.replace('schemaVersion: 1', 'schemaVersion: 2'),
      'owners.yaml': OWNERS,
    });

    expect(problemsLoading(dir)).toEqual([
      'dashboards/flows/stock.yaml: id: "inventory_sync" must match the file name (stock.yaml holds the flow "stock")',
      'dashboards/flows/stock.yaml: id: "inventory_sync" is already the id of dashboards/flows/inventory_sync.yaml',
      'dashboards/slas/inventory-published.yaml:12: Map keys must be unique',
      'dashboards/slas/next.yaml: schemaVersion: 2 is newer than this Flowlens reads (1); upgrade Flowlens',
    ]);
  });

  it('reports missing folders and files, and throws one error that lists them', () => {
    const dir = catalogFolder({ 'README.md': 'nothing else' });

    expect(() => loadCatalog(dir)).toThrow(CatalogError);
    expect(() => loadCatalog(dir)).toThrow(
      'the flow catalog has 3 problems:\n  dashboards/flows/: folder is missing\n  dashboards/slas/: folder is missing\n  dashboards/owners.yaml: file is missing',
    );
  });

  it('needs at least one flow, but no policy', () => {
    const dir = catalogFolder({ 'owners.yaml': OWNERS.replace(/rules:[\s\S]*$/, ''), 'flows/.keep': '', 'slas/.keep': '' });

    expect(problemsLoading(dir)).toEqual(['dashboards/flows/: holds no .yaml files (one file per flow)']);
  });

  describe('views', () => {
    const base = { 'flows/inventory_sync.yaml': INVENTORY, 'flows/return_to_refund.yaml': RETURNS, 'slas/inventory-published.yaml': PUBLISHED, 'owners.yaml': OWNERS };
    const view = (id: string, order: number, panels: string) => `schemaVersion: 1\nid: ${id}\ntitle: ${id}\ndescription: The ${id} screen.\norder: ${order}\npanels:\n${panels}`;

    it('loads views in menu order with every option filled in, and none when the folder is absent', () => {
      const dir = catalogFolder({
        ...base,
        'views/stock.yaml': view('stock', 10, '  - { id: worst, kind: worstLag, title: Worst, options: { by: sku, target: amazon } }\n').replace('order: 10', 'order: 10\ndefaultRange: 6h'),
        'views/wall.yaml': view('wall', 0, '  - { id: lag, kind: lagNow, title: Lag now, width: full }\n'),
      });

      expect(loadCatalog(dir).views).toEqual([
        { id: 'wall', title: 'wall', description: 'The wall screen.', panels: [{ id: 'lag', kind: 'lagNow', title: 'Lag now', width: 'full', options: {} }] },
        {
          id: 'stock',
          title: 'stock',
          description: 'The stock screen.',
          defaultRange: '6h',
          panels: [{ id: 'worst', kind: 'worstLag', title: 'Worst', width: 'half', options: { by: 'sku', target: 'amazon', limit: 10 } }],
        },
      ]);
      expect(loadCatalog(catalogFolder(base)).views).toEqual([]);
    });

    it('names the file, the panel and the option of every mistake', () => {
      const dir = catalogFolder({
        ...base,
        'views/stock.yaml': view(
          'stock',
          10,
          [
            '  - { id: worst, kind: worstLag, title: Worst, options: { by: region, target: ebay, limt: 5 } }',
            '  - { id: worst, kind: lagChart, title: Chart }',
            '  - { id: stale, kind: staleStock, title: Stale, width: wide, options: { channel: ebay, thresholdSeconds: 0 } }',
          ].join('\n') + '\n',
        ).replace('order: 10', 'order: 10\ndefaultRange: 2h'),
        'views/other.yaml': view('elsewhere', -1, '  - { id: a, kind: lagNow, title: A }\n'),
      });

      expect(problemsLoading(dir)).toEqual([
        'dashboards/views/other.yaml: order: must be at least 0',
        'dashboards/views/stock.yaml: defaultRange: must be one of 15m, 1h, 6h, 24h, 7d',
        'dashboards/views/stock.yaml: panels[0].options.by: must be location or sku',
        'dashboards/views/stock.yaml: panels[0].options.limt: unknown option of a worstLag panel (it takes: by, target, limit)',
        'dashboards/views/stock.yaml: panels[1].kind: must be one of ' + PANEL_KINDS.join(', '),
        // A panel's options are checked once its own fields are right.
        'dashboards/views/stock.yaml: panels[2].width: must be one of full, half, third',
      ]);
    });

    it('checks channels and targets against the inventory flow once the file itself is right', () => {
      const dir = catalogFolder({
        ...base,
        'views/stock.yaml': view('stock', 1, '  - { id: worst, kind: worstLag, title: Worst, options: { target: ebay } }\n  - { id: stale, kind: staleStock, title: Stale, options: { channel: ebay } }\n'),
        'views/copy.yaml': view('stock', 2, '  - { id: a, kind: lagNow, title: A }\n'),
      });

      expect(problemsLoading(dir)).toEqual([
        'dashboards/views/copy.yaml: id: "stock" must match the file name (copy.yaml holds the view "copy")',
        'dashboards/views/stock.yaml: id: "stock" is already the id of dashboards/views/copy.yaml',
        'dashboards/views/stock.yaml: panels[0].options.target: "ebay" is not erp or a channel of the inventory flow (channels: shopify, amazon)',
        'dashboards/views/stock.yaml: panels[1].options.channel: "ebay" is not a channel of the inventory flow (channels: shopify, amazon)',
      ]);
    });
  });
});
