import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { classify } from '../../domain/sla.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { schemaFor } from '../schema.js';
import { evaluateSlaPolicy, slaOutcomesByStartBucket, type SlaEvaluationQuery } from './slaEvaluation.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-sla-'));
const NOW = Date.parse('2026-11-27T11:30:00Z');
const MIN = 60_000;
let store: StoreClients;

type Step = [correlation: string, step: string, minutesAgo: number, extra?: Record<string, unknown>];
async function insert(steps: Step[]): Promise<void> {
  const values = steps.map(([correlation, step, ago, extra], i) => {
    const result = validateEvent({ event_id: `${correlation}:${step}:${String(extra?.channel ?? '')}:${i}`, correlation_id: correlation, flow: 'inventory_sync', step, system: 'pos', occurred_at: NOW - ago * MIN, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, '2026-11-27 12:00:00.000');
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}

const published: SlaEvaluationQuery = {
  flow: 'inventory_sync',
  startSteps: ['pos.sale.captured', 'wms.goods.received'],
  endKeys: ['channel.published@shopify', 'channel.published@amazon'],
  channels: ['shopify', 'amazon'],
  deadlineMs: 2 * MIN,
  groupBy: ['channel', 'location_id'],
  recentMs: [10 * MIN, 60 * MIN],
  from: NOW - 60 * MIN,
  now: NOW,
};

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  const at = (location: string, receipt: string, extra: Record<string, unknown> = {}) => ({ location_id: location, keys: { receipt_id: receipt }, ...extra });
  await insert([
    // a: exactly at the deadline on Shopify (met), 3 min on Amazon (late); started an hour and more ago in another hour bucket.
    ['a', 'pos.sale.captured', 50, at('store-1', 'R1')],
    ['a', 'channel.published', 48, at('store-1', 'R1', { channel: 'shopify', system: 'middleware' })],
    ['a', 'channel.published', 47, at('store-1', 'R1', { channel: 'amazon', system: 'middleware' })],
    // b: two start steps, the earlier from the WMS; never published (open past the deadline on both channels).
    ['b', 'pos.sale.captured', 5, at('store-2', 'R2')],
    ['b', 'wms.goods.received', 8, at('store-2', 'R2', { system: 'wms' })],
    // c: in progress (started a minute ago); d: started before the window.
    ['c', 'pos.sale.captured', 1, at('store-2', 'R3')],
    ['d', 'pos.sale.captured', 61, at('store-1', 'R4')],
    // e: its publication came first (out of order), then the sale; and a failed attempt does not count as reached.
    ['e', 'channel.published', 29, at('store-1', 'R5', { channel: 'shopify', system: 'middleware' })],
    ['e', 'channel.published', 29, at('store-1', 'R5', { channel: 'amazon', system: 'middleware', status: 'failed' })],
  ]);
  await insert([['e', 'pos.sale.captured', 30, at('store-1', 'R5')]]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('evaluateSlaPolicy', () => {
  it('counts each instance (correlation × channel) in one outcome per group, as classify() decides', async () => {
    const { groups } = await evaluateSlaPolicy(store.query, schema, published);
    const byGroup = Object.fromEntries(groups.map((g) => [`${g.group.channel}/${g.group.location_id}`, [g.met, g.late, g.open_breached, g.in_progress]]));
    expect(byGroup).toEqual({
      'shopify/store-1': [2, 0, 0, 0],
      'amazon/store-1': [0, 1, 1, 0],
      'shopify/store-2': [0, 0, 1, 1],
      'amazon/store-2': [0, 0, 1, 1],
    });
    expect(classify(0, 2 * MIN, 2 * MIN, NOW).outcome).toBe('met');
  });

  it('counts the decided and broken instances started within each burn window', async () => {
    const { groups } = await evaluateSlaPolicy(store.query, schema, published);
    const sum = (i: number) => groups.reduce((s, g) => ({ decided: s.decided + g.recent[i]!.decided, bad: s.bad + g.recent[i]!.bad }), { decided: 0, bad: 0 });
    // Last 10 min: b on both channels (open past the deadline); c is still in progress. Last hour: a and e too.
    expect(sum(0)).toEqual({ decided: 2, bad: 2 });
    expect(sum(1)).toEqual({ decided: 6, bad: 4 });
  });

  it('returns every broken instance with its channel, start (the earliest start step) and end', async () => {
    const { broken } = await evaluateSlaPolicy(store.query, schema, published);
    const rows = broken.map((b) => [b.correlation_id, b.channel, (NOW - b.start_ms) / MIN, b.end_ms === 0 ? 0 : (NOW - b.end_ms) / MIN]).sort((x, y) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`));
    expect(rows).toEqual([
      ['a', 'amazon', 50, 47],
      ['b', 'amazon', 8, 0],
      ['b', 'shopify', 8, 0],
      ['e', 'amazon', 30, 0],
    ]);
  });

  it('groups by the system of the first start step and by a business key', async () => {
    const { groups } = await evaluateSlaPolicy(store.query, schema, { ...published, groupBy: ['system', 'key:receipt_id'], endKeys: ['erp.inventory.posted'], channels: [''] });
    expect(groups.map((g) => [g.group.system, g.group['key:receipt_id'], g.open_breached + g.in_progress]).sort()).toEqual([
      ['pos', 'R1', 1],
      ['pos', 'R3', 1],
      ['pos', 'R5', 1],
      ['wms', 'R2', 1],
    ]);
  });

  it('has no groups when nothing started in the window', async () => {
    expect(await evaluateSlaPolicy(store.query, schema, { ...published, from: NOW - 200 * MIN, now: NOW - 100 * MIN })).toEqual({ groups: [], broken: [] });
  });
});

describe('slaOutcomesByStartBucket', () => {
  const series = { ...published, seriesFrom: NOW - 60 * MIN, bucketMs: 10 * MIN };
  const rows = (r: Awaited<ReturnType<typeof slaOutcomesByStartBucket>>) => r.map((b) => [b.bucket, b.met, b.late, b.open_breached, b.in_progress]);

  it('counts each instance by outcome in the bucket of its start, the same outcomes as the evaluation', async () => {
    // a started 50 min ago (bucket 1), e 30 (bucket 3), b 8 and c 1 (bucket 5); d before the window.
    expect(rows(await slaOutcomesByStartBucket(store.query, schema, { ...series, groupFilter: [] }))).toEqual([
      [1, 1, 1, 0, 0],
      [3, 1, 0, 1, 0],
      [5, 0, 0, 2, 2],
    ]);
  });

  it('counts only the instances of one group when asked', async () => {
    expect(rows(await slaOutcomesByStartBucket(store.query, schema, { ...series, groupFilter: [{ index: 0, value: 'amazon' }] }))).toEqual([
      [1, 0, 1, 0, 0],
      [3, 0, 0, 1, 0],
      [5, 0, 0, 1, 1],
    ]);
    expect(rows(await slaOutcomesByStartBucket(store.query, schema, { ...series, groupFilter: [{ index: 0, value: 'amazon' }, { index: 1, value: 'store-2' }] }))).toEqual([[5, 0, 0, 1, 1]]);
  });
});
