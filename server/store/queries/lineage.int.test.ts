import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/loadCatalog.js';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import type { LineageResponse } from '../../contracts/lineageApi.js';
import { createLineageService, LINEAGE_LIMITS } from '../../services/lineageService.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow, type EventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { MIGRATIONS } from '../migrations/index.js';
import { queryRows } from '../queryRows.js';
import { schemaFor } from '../schema.js';
import { param, sql } from '../sql.js';
import { correlationsForKeyValues, eventsOfCorrelations, spansOfCorrelations } from './lineage.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-lineage-'));
const T = Date.parse('2026-11-27T10:00:00Z');
const quiet = { info: () => {}, warn: () => {} };
let store: StoreClients;

type Event = Record<string, unknown>;
const at = (offsetMs: number) => new Date(T + offsetMs).toISOString();
const order = (n: number, step: string, system: string, offset: number, extra: Event = {}): Event => ({
  event_id: `o${n}:${step}`,
  correlation_id: `shopify-order-${n}`,
  flow: 'order_to_cash',
  step,
  system,
  channel: 'shopify',
  occurred_at: at(offset),
  keys: { order_id: `#${n}`, payment_id: `pi_${n}` },
  amount: '59.90',
  currency: 'EUR',
  ...extra,
});
const refund = (n: number, step: string, system: string, offset: number, extra: Event = {}): Event => ({
  event_id: `r${n}:${step}`,
  correlation_id: `rtr-re_${n}`,
  flow: 'return_to_refund',
  step,
  system,
  occurred_at: at(offset),
  keys: { refund_id: `re_${n}`, order_id: `#${n}` },
  ...extra,
});
const journal = (n: number, offset: number): Event => ({
  event_id: `j${n}`,
  correlation_id: `stl-${n}`,
  flow: 'settlement_to_ledger',
  step: 'erp.journal.posted',
  system: 'erp',
  occurred_at: at(offset),
  keys: { refund_id: `re_${n}`, journal_id: `JE-${n}` },
  amount: '-59.90',
  currency: 'EUR',
  payload: '{"account":"1410"}',
});

/** Order 1 → its refund (same order id) → the refund's journal (same refund id), with a retry and a replay. */
const chain: Event[] = [
  order(1, 'shop.order.created', 'shopify', 0),
  order(1, 'payment.charge.succeeded', 'stripe', 2_000, { keys: { order_id: '#1', payment_id: 'pi_1', charge_id: 'ch_1' } }),
  refund(1, 'oms.return.received', 'oms', 3_600_000),
  refund(1, 'payment.refund.created', 'stripe', 3_630_000, { status: 'retrying', error_code: 'rate_limit', error_class: 'technical', error_message: 'too many requests' }),
  refund(1, 'payment.refund.created', 'stripe', 3_640_000, { event_id: 'r1:refund-again', amount: '59.90', currency: 'EUR', trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) }),
  refund(1, 'erp.credit_memo.posted', 'erp', 3_700_000, { event_id: 'r1:memo-replay', replay_of: 'r1:erp.credit_memo.posted', replay_target: 'erp' }),
  journal(1, 2 * 3_600_000),
];
/** A stock movement at a location: sold at the till, posted in the ERP, published on Shopify. */
const movement = (n: number, sku: string, location: string): Event[] =>
  (
    [
      ['pos.sale.captured', 'pos', {}],
      ['erp.inventory.posted', 'erp', {}],
      ['channel.published', 'middleware', { channel: 'shopify', target_system: 'shopify' }],
    ] as const
  ).map(([step, system, extra], i) => ({
    event_id: `m${n}:${step}`,
    correlation_id: `inv-${sku}-${location}-${n}`,
    flow: 'inventory_sync',
    step,
    system,
    location_id: location,
    sku,
    quantity: -1,
    occurred_at: at(n * 60_000 + i * 5_000),
    keys: { receipt_id: `RC-${location}-${n}` },
    ...extra,
  }));
/** 25 movements of SKU-7 at store-3 (the latest 15 stored before migration 0013, which must record them), and others. */
const stock: Event[] = [
  ...Array.from({ length: 25 }, (_, i) => movement(25 - i, 'SKU-7', 'store-3')).flat(),
  ...movement(1, 'SKU-7', 'store-4'),
  ...movement(2, 'SKU-8', 'store-3'),
];
const STOCK_BEFORE_0013 = 15 * 3;

/** An unrelated order, so the reads must pick the right correlations. */
const other: Event[] = [order(2, 'shop.order.created', 'shopify', 60_000), order(2, 'payment.charge.succeeded', 'stripe', 62_000)];

function rows(events: Event[], observedAt = '2026-11-27 12:00:00.000'): EventRow[] {
  return events.map((e) => {
    const result = validateEvent(e);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, observedAt);
  });
}
const insert = (events: Event[], observedAt?: string) => store.ingest.insert({ table: schema.insertTarget('events'), values: rows(events, observedAt), format: 'JSONEachRow' });

/** The events of these correlations as the lineage read them before `lineage_events`: from the events table. */
const fromEventsTable = (ids: string[]) =>
  queryRows<EventRow>(
    store.query,
    sql`SELECT * FROM ${schema.table('events')} WHERE correlation_id IN ${param.arrayString(ids)} ORDER BY occurred_at, event_id, observed_at LIMIT 1 BY event_id`,
  );
/** Each correlation's span as the lineage read it before: the key lookup's row for the correlation id itself. */
const spansFromLookup = async (ids: string[]) =>
  new Map(
    (
      await queryRows<{ id: string; first_ms: string; last_ms: string }>(
        store.query,
        sql`SELECT correlation_id AS id, toUnixTimestamp64Milli(min(first_at)) AS first_ms, toUnixTimestamp64Milli(max(last_at)) AS last_ms
            FROM ${schema.table('keyLookup')} WHERE key_name = 'correlation_id' AND key_value IN ${param.arrayString(ids)} GROUP BY correlation_id`,
      )
    ).map((r) => [r.id, { firstAt: Number(r.first_ms), lastAt: Number(r.last_ms) }]),
  );

const service = () => createLineageService(store.query, schema, loadCatalog(path.resolve('dashboards')), () => T + 5 * 3_600_000);
const lineageRows = async () => Number((await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('lineageEvents')}`))[0]!.n);

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  // A store from before lineage_events: its events must be copied in by the migration.
  await migrate(store.query, schema, quiet, MIGRATIONS.filter((m) => m.version < 10));
  await insert([...chain.slice(0, 4), ...other, ...stock.slice(0, STOCK_BEFORE_0013)]);
  await migrate(store.query, schema, quiet);
  await insert([...chain.slice(4), ...stock.slice(STOCK_BEFORE_0013)]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('lineage_events (migration 0010)', () => {
  it('holds the events stored before the migration and every event loaded since', async () => {
    expect(await lineageRows()).toBe(chain.length + other.length + stock.length);
    const ids = ['shopify-order-1', 'rtr-re_1', 'stl-1', 'shopify-order-2'];
    const { events } = await eventsOfCorrelations(store.query, schema, ids, 100);
    expect(events).toEqual(await fromEventsTable(ids));
  });

  it('gives each correlation the same time span as the key lookup does, over all of its events', async () => {
    const ids = ['shopify-order-1', 'rtr-re_1', 'stl-1'];
    const { spans } = await eventsOfCorrelations(store.query, schema, ids, 100);
    expect(spans).toEqual(await spansFromLookup(ids));
    expect(spans.get('rtr-re_1')).toEqual({ firstAt: T + 3_600_000, lastAt: T + 3_700_000 });
  });

  it('cuts the read at the limit in time order, and still knows the span of a correlation left without events', async () => {
    const { events, spans } = await eventsOfCorrelations(store.query, schema, ['shopify-order-1', 'stl-1'], 2);
    expect(events.map((e) => e.event_id)).toEqual(['o1:shop.order.created', 'o1:payment.charge.succeeded']);
    expect([...spans.keys()]).toEqual(['shopify-order-1']);
    expect(await spansOfCorrelations(store.query, schema, ['stl-1'])).toEqual(new Map([['stl-1', { firstAt: T + 7_200_000, lastAt: T + 7_200_000 }]]));
  });

  it('finds correlations by key value and by correlation id, first seen first', async () => {
    const hits = await correlationsForKeyValues(store.query, schema, ['#1', 'stl-1'], 400);
    expect(hits.map((h) => [h.keyValue, h.keyName, h.correlationId])).toEqual([
      ['#1', 'order_id', 'shopify-order-1'],
      ['#1', 'order_id', 'rtr-re_1'],
      ['stl-1', 'correlation_id', 'stl-1'],
    ]);
  });
});

describe('lineage walk over lineage_events', () => {
  let before: LineageResponse;
  beforeAll(async () => {
    before = await service().lineage('#1', 2);
  });

  it('walks from the order to its refund and to the refund’s journal, with every event once', () => {
    expect(before.correlations.map((c) => [c.correlation_id, c.depth, c.linked_by, c.first_at, c.last_at, c.event_count])).toEqual([
      ['shopify-order-1', 0, [{ name: 'order_id', value: '#1' }], at(0), at(2_000), 2],
      ['rtr-re_1', 0, [{ name: 'order_id', value: '#1' }], at(3_600_000), at(3_700_000), 4],
      ['stl-1', 1, [{ name: 'refund_id', value: 're_1' }], at(7_200_000), at(7_200_000), 1],
    ]);
    expect(before.events.map((e) => e.event_id)).toEqual(chain.map((e) => e.event_id));
    expect(before.events.at(-1)).toMatchObject({ amount: '-59.9', payload: '{"account":"1410"}', keys: { refund_id: 're_1', journal_id: 'JE-1' } });
  });

  it('answers exactly the same after every event was sent again (later, so stored twice)', async () => {
    await insert([...chain, ...other], '2026-11-27 13:00:00.000');
    expect(await lineageRows()).toBe(2 * (chain.length + other.length) + stock.length);
    expect(await service().lineage('#1', 2)).toEqual(before);
  });

  it('reads the same when the engine merges, de-duplicates and orders the rows as when Node does', async () => {
    const ids = ['shopify-order-1', 'rtr-re_1', 'stl-1', 'shopify-order-2'];
    const inNode = await eventsOfCorrelations(store.query, schema, ids, 100);
    expect(inNode.events.map((e) => e.observed_at)).toEqual(Array(chain.length + other.length).fill('2026-11-27 12:00:00.000'));
    expect(await eventsOfCorrelations(store.query, schema, ids, 100, 0)).toEqual(inNode);
    expect(inNode.events).toEqual(await fromEventsTable(ids));
    const values = ['#1', 'pi_1', 're_1', 'JE-1', 'stl-1', 'shopify-order-2'];
    for (const order of ['first', 'latest'] as const) {
      for (const limit of [400, 2]) {
        expect(await correlationsForKeyValues(store.query, schema, values, limit, { order, rowsAsStored: 0 })).toEqual(await correlationsForKeyValues(store.query, schema, values, limit, { order }));
      }
    }
  });

  it('stops at the event cap, keeps the whole time span of a correlation the cap left without events', async () => {
    const many = Array.from({ length: LINEAGE_LIMITS.maxEvents }, (_, i) => ({
      ...order(3, 'shop.order.created', 'shopify', i, { event_id: `o3:${String(i).padStart(5, '0')}`, keys: { order_id: '#3' } }),
    }));
    // The refund's second event does not carry the order id: only its whole span, not the key hit, reaches it.
    await insert([...many, refund(3, 'oms.return.received', 'oms', 3_600_000), refund(3, 'payment.refund.created', 'stripe', 3_700_000, { keys: { refund_id: 're_3' } })]);
    const answer = await service().lineage('#3', 2);
    expect(answer.truncated).toBe(true);
    expect(answer.events).toHaveLength(LINEAGE_LIMITS.maxEvents);
    expect(answer.correlations.map((c) => [c.correlation_id, c.first_at, c.last_at, c.event_count])).toEqual([
      ['shopify-order-3', at(0), at(LINEAGE_LIMITS.maxEvents - 1), LINEAGE_LIMITS.maxEvents],
      ['rtr-re_3', at(3_600_000), at(3_700_000), 0],
    ]);
  });
});

describe('a SKU at a location as a key (migration 0013)', () => {
  it('finds the latest 20 movements of that SKU at that location, stored before the migration and since, and says there were more', async () => {
    const answer = await service().lineage('SKU-7@store-3', 1);

    expect(answer.latest_only).toBe(true);
    expect(answer.truncated).toBe(false);
    expect(answer.correlations.map((c) => c.correlation_id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `inv-SKU-7-store-3-${i + 6}`).sort());
    expect(answer.correlations.every((c) => c.linked_by.some((k) => k.name === 'sku_location' && k.value === 'SKU-7@store-3'))).toBe(true);
    expect(new Set(answer.events.map((e) => `${e.sku}@${e.location_id}`))).toEqual(new Set(['SKU-7@store-3']));
    expect(answer.events).toHaveLength(20 * 3);
  });

  it('shows every movement when there are few, and nothing of another SKU or location', async () => {
    const answer = await service().lineage('SKU-8@store-3', 0);

    expect(answer.latest_only).toBe(false);
    expect(answer.correlations.map((c) => c.correlation_id)).toEqual(['inv-SKU-8-store-3-2']);
    expect(answer.events.map((e) => e.step)).toEqual(['pos.sale.captured', 'erp.inventory.posted', 'channel.published']);
  });

  it('does not follow the SKU at a location from a linked transaction (only a search starts from it)', async () => {
    const answer = await service().lineage('RC-store-4-1', 3);

    expect(answer.correlations.map((c) => c.correlation_id)).toEqual(['inv-SKU-7-store-4-1']);
  });
});
