import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/loadCatalog.js';
import { loadConfig } from '../config/config.js';
import { validateEvent } from '../contracts/canonicalEvent.js';
import { openStore, type StoreClients } from '../store/clickhouse.js';
import { toEventRow } from '../store/eventRows.js';
import { migrate } from '../store/migrate.js';
import { schemaFor } from '../store/schema.js';
import { createAnswerServices } from './answerServices.js';
import { createInventoryService } from './inventoryService.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-inventory-service-'));
const MIN = 60_000;
const milestones = { flow: 'inventory_sync', sources: ['pos.sale.captured'], erpPosted: 'erp.inventory.posted', published: 'channel.published', channels: ['shopify', 'amazon'] };
let store: StoreClients;

/** A store sale at `occurredAt`, posted to the ERP and published on Shopify only: stale on Amazon. */
async function saleMissingOnAmazon(id: string, location: string, occurredAt: number): Promise<void> {
  const steps: [string, number, string?][] = [['pos.sale.captured', 0], ['erp.inventory.posted', 1_000], ['channel.published', 2_000, 'shopify']];
  const values = steps.map(([step, after, channel]) => {
    const result = validateEvent({ event_id: `${id}:${step}`, correlation_id: id, flow: 'inventory_sync', step, system: 'x', occurred_at: occurredAt + after, location_id: location, sku: 'SKU-1', quantity: -1, ...(channel ? { channel } : {}) });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, '2026-11-27 15:00:00.000');
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}

/** The store's query client, counting the queries asked through it (the port the service reads by). */
function counted(client: ClickHouseClient): { client: ClickHouseClient; queries: () => number } {
  let queries = 0;
  const wrapped = Object.create(client) as ClickHouseClient;
  wrapped.query = ((params: Parameters<ClickHouseClient['query']>[0]) => {
    queries++;
    return client.query(params);
  }) as ClickHouseClient['query'];
  return { client: wrapped, queries: () => queries };
}

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stale stock, shared between callers', () => {
  const q = { thresholdMs: 5 * MIN, lookbackMs: 24 * 60 * MIN, limit: 10 };

  it('computes once for concurrent callers, reuses it, and computes afresh after a flush or a load', async () => {
    const start = Date.parse('2026-11-27T15:00:00Z');
    let now = start;
    await saleMissingOnAmazon('s1', 'store-001', start - 30 * MIN);
    const { client, queries } = counted(store.query);
    const inventory = createInventoryService(client, schema, milestones, { snapshotMaxAgeMs: 0, maxAgeMs: 600_000 }, () => now);

    const [first, second] = await Promise.all([inventory.stale(q), inventory.stale(q)]);
    expect(queries()).toBe(1);
    expect(second).toBe(first);
    expect(first.at).toBe(start);
    expect(first.rows.map((r) => [r.location_id, r.channel])).toEqual([['store-001', 'amazon']]);
    now += 10_000;
    expect((await inventory.stale(q)).at).toBe(start);
    expect(queries()).toBe(1);

    // A flush: the next caller waits for an answer computed now, with what was loaded.
    await saleMissingOnAmazon('s2', 'store-002', start - 20 * MIN);
    inventory.invalidate();
    const flushed = await inventory.stale(q);
    expect(queries()).toBe(2);
    expect(flushed.at).toBe(start + 10_000);
    expect(flushed.rows.map((r) => r.location_id)).toEqual(['store-001', 'store-002']);

    // A load: reused until it is a few times as old as it took to compute, then computed afresh.
    await saleMissingOnAmazon('s3', 'store-003', start - 15 * MIN);
    inventory.changed();
    now += 60_000;
    const loaded = await inventory.stale(q);
    expect(queries()).toBe(3);
    expect(loaded.at).toBe(start + 70_000);
    expect(loaded.rows).toHaveLength(3);
  });

  it('shares each question on its own and keeps the last eight asked', async () => {
    const { client, queries } = counted(store.query);
    const inventory = createInventoryService(client, schema, milestones, { snapshotMaxAgeMs: 0, maxAgeMs: 600_000 }, () => Date.parse('2026-11-27T15:00:00Z'));
    for (let limit = 1; limit <= 9; limit++) await inventory.stale({ ...q, limit });
    expect(queries()).toBe(9);
    await inventory.stale({ ...q, limit: 9 });
    await inventory.stale({ ...q, channel: 'amazon', limit: 9 });
    expect(queries()).toBe(10);
    // Ten questions asked: the first two were dropped, the third is still shared.
    await inventory.stale({ ...q, limit: 3 });
    expect(queries()).toBe(10);
    await inventory.stale({ ...q, limit: 1 });
    expect(queries()).toBe(11);
    await expect(inventory.stale({ ...q, channel: 'erp' })).rejects.toThrow(/"erp" is not a channel/);
    expect(queries()).toBe(11);
  });

  it('narrows to a location and a SKU when asked, each its own shared question', async () => {
    const at = Date.parse('2026-11-27T15:00:00Z');
    const inventory = createInventoryService(store.query, schema, milestones, { snapshotMaxAgeMs: 0, maxAgeMs: 600_000 }, () => at);
    const all = await inventory.stale(q);
    expect(all.rows.map((r) => r.location_id)).toEqual(['store-001', 'store-002', 'store-003']);
    expect((await inventory.stale({ ...q, location: 'store-002' })).rows.map((r) => [r.location_id, r.sku, r.channel])).toEqual([['store-002', 'SKU-1', 'amazon']]);
    expect((await inventory.stale({ ...q, location: 'store-002', sku: 'SKU-2' })).rows).toEqual([]);
    expect((await inventory.stale({ ...q, sku: 'SKU-1' })).rows).toHaveLength(3);
    expect((await inventory.stale(q)).rows).toHaveLength(3);
  });

  it('is flushed with every shared answer of the server', async () => {
    const { client, queries } = counted(store.query);
    const answers = createAnswerServices(client, schema, loadCatalog(path.resolve('dashboards')), loadConfig({ env: { FLOWLENS_ANSWER_MAX_AGE_MS: '600000' } }), () => Promise.reject(new Error('not asked')));
    const first = await answers.inventory.stale(q);
    const asked = queries();
    expect((await answers.inventory.stale(q)).at).toBe(first.at);
    expect(queries()).toBe(asked);
    answers.invalidate();
    await answers.inventory.stale(q);
    expect(queries()).toBe(2 * asked);
  });
});
