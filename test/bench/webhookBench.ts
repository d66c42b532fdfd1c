import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureBytes } from '../../collectors/webhooks/fixtures/loadFixture.js';
import { mapShopifyWebhook } from '../../collectors/webhooks/shopifyMapping.js';
import { SHOPIFY_HMAC_HEADER, shopifyHmac } from '../../collectors/webhooks/signatures.js';
import { parseJsonExactIds } from '../../collectors/webhooks/webhookMapping.js';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { openStore } from '../../server/store/clickhouse.js';
import { toEventRow, type EventRow } from '../../server/store/eventRows.js';
import { migrate } from '../../server/store/migrate.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql, toClickHouseTime } from '../../server/store/sql.js';
import { startChildServer } from '../support/childServer.js';
import { runPool, sendRespectingRetryAfter, throughput, timedApiRun, writeRows, type ApiRun, type Throughput } from './benchSupport.js';

export type WebhookBenchOptions = { deliveries: number; concurrency: number };
export type WebhookBenchResult = WebhookBenchOptions & {
  bodyBytes: number;
  api: ApiRun;
  /** Mapping, validation and row building of the same deliveries in this process, without HTTP or the store. */
  mapOnly: Throughput;
  engineFile: Throughput;
  /** The engine alone loading files of the server's average batch size, one after another (first loads only). */
  engineSmallBatches: Throughput & { rowsPerLoad: number; loads: number };
};

const SECRET = 'shpss_bench_0123456789abcdef';
const TOPIC = 'orders/create';
const FIXTURE_ORDER_ID = 820982911946154508n;
const quiet = { info: () => {}, warn: () => {} };

type Delivery = { body: Buffer; headers: Record<string, string>; webhookId: string };

/**
 * Signed Shopify `orders/create` deliveries to `POST /webhooks/shopify` (one business event per request) against
 * the engine alone loading the same canonical event rows, mapped by the same module, in the same run.
 */
export async function webhookBench(options: WebhookBenchOptions, log: (line: string) => void): Promise<WebhookBenchResult> {
  const deliveries = Array.from({ length: options.deliveries }, (_, i) => shopifyDelivery(i));
  const bodyBytes = deliveries[0]!.body.byteLength;
  log(`prepared ${deliveries.length} signed Shopify ${TOPIC} deliveries of ~${bodyBytes} bytes`);

  const api = await apiRun(deliveries, options.concurrency, log);

  const started = performance.now();
  const observedAt = toClickHouseTime(Date.now());
  const rows = deliveries.map((d) => eventRow(d, observedAt));
  const mapOnly = throughput(rows.length, started);
  log(`mapping alone: ${rows.length} deliveries in ${mapOnly.seconds.toFixed(2)} s`);
  const events = api.inserts.find((i) => i.table === 'events');
  const rowsPerLoad = Math.max(1, Math.round(events ? events.rows / events.inserts : 1));
  const { engineFile, engineSmallBatches } = await engineBaseline(rows, rowsPerLoad, log);
  return { ...options, bodyBytes, api, mapOnly, engineFile, engineSmallBatches };
}

/** The fixture order with its own id, name and webhook id, signed as Shopify signs it. */
function shopifyDelivery(i: number): Delivery {
  const id = String(FIXTURE_ORDER_ID + BigInt(i));
  const text = fixtureBytes('shopifyOrder').toString('utf8').replaceAll(String(FIXTURE_ORDER_ID), id).replace('"name": "#1001"', `"name": "#${1001 + i}"`);
  const body = Buffer.from(text);
  const webhookId = `bench-${i.toString(16).padStart(8, '0')}-order-create`;
  return {
    body,
    webhookId,
    headers: {
      'content-type': 'application/json',
      'X-Shopify-Topic': TOPIC,
      [SHOPIFY_HMAC_HEADER]: shopifyHmac(body, SECRET),
      'X-Shopify-Shop-Domain': 'acme-eu.myshopify.com',
      'X-Shopify-Webhook-Id': webhookId,
      'X-Shopify-API-Version': '2026-10',
    },
  };
}

/** What the receiver stores for a delivery: shopifyMapping → validateEvent → toEventRow. */
function eventRow(delivery: Delivery, observedAt: string): EventRow {
  const mapped = mapShopifyWebhook({ topic: TOPIC, webhookId: delivery.webhookId, body: parseJsonExactIds(delivery.body.toString('utf8')) });
  if (mapped.kind !== 'events' || mapped.events.length !== 1) throw new Error(`delivery ${delivery.webhookId} did not map to one event: ${JSON.stringify(mapped)}`);
  const result = validateEvent(mapped.events[0]);
  if (!result.ok) throw new Error(`delivery ${delivery.webhookId} maps to an invalid event: ${JSON.stringify(result.issues)}`);
  return toEventRow(result.event, observedAt);
}

async function apiRun(deliveries: Delivery[], concurrency: number, log: (line: string) => void): Promise<WebhookBenchResult['api']> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-webhooks-'));
  const server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SECRET });
  try {
    let events = 0;
    const run = await timedApiRun(server, deliveries.length, (refused) =>
      runPool(deliveries, concurrency, async ({ body, headers }) => {
        const res = await sendRespectingRetryAfter(() => fetch(`${server.baseUrl}/webhooks/shopify`, { method: 'POST', headers, body }), refused);
        const answer = (await res.json()) as { accepted?: number };
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(answer)}`);
        events += answer.accepted ?? 0;
      }),
    );
    log(`API: ${events} events acknowledged in ${run.ackSeconds.toFixed(1)} s, loaded in ${run.seconds.toFixed(1)} s; server loads: ${run.inserts.map((i) => `${i.table} ${i.rows} rows in ${i.inserts} loads`).join(', ')}`);
    if (events !== deliveries.length) throw new Error(`${deliveries.length} deliveries but ${events} events accepted`);
    return run;
  } finally {
    await server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const MAX_SMALL_LOADS = 500;

async function engineBaseline(rows: EventRow[], rowsPerLoad: number, log: (line: string) => void): Promise<Pick<WebhookBenchResult, 'engineFile' | 'engineSmallBatches'>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-webhooks-base-'));
  const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  try {
    const schema = schemaFor('bench_webhook_file');
    const small = schemaFor('bench_webhook_small');
    await migrate(store.ingest, schema, quiet);
    await migrate(store.ingest, small, quiet);
    const load = async (target: typeof schema, file: string, token: string) => {
      const { query, query_params } = sql`INSERT INTO ${target.table('events')} SELECT * FROM file(${file}, 'JSONEachRow')`.render();
      await store.ingest.command({ query, query_params, clickhouse_settings: { insert_deduplication_token: token } });
    };
    const file = writeRows(path.join(dataDir, 'rows.ndjson'), [rows]);
    let started = performance.now();
    await load(schema, file, 'file-load');
    const engineFile = throughput(rows.length, started);
    log(`engine file load: ${rows.length} rows in ${engineFile.seconds.toFixed(2)} s`);

    const files: string[] = [];
    for (let i = 0; i < rows.length && files.length < MAX_SMALL_LOADS; i += rowsPerLoad) files.push(writeRows(path.join(dataDir, `small-${files.length}.ndjson`), [rows.slice(i, i + rowsPerLoad)]));
    const loaded = Math.min(rows.length, files.length * rowsPerLoad);
    started = performance.now();
    for (const [i, smallFile] of files.entries()) await load(small, smallFile, `small-${i}`);
    const engineSmallBatches = { ...throughput(loaded, started), rowsPerLoad, loads: files.length };
    log(`engine, ${files.length} files of ${rowsPerLoad} rows: ${engineSmallBatches.seconds.toFixed(2)} s`);
    return { engineFile, engineSmallBatches };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
