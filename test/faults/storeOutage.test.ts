import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsRoute } from '../../collectors/events-api/eventsRoute.js';
import { EventIngestor } from '../../collectors/pipeline/eventIngestor.js';
import { GroupCommitter } from '../../collectors/pipeline/groupCommit.js';
import { errorMiddleware } from '../../server/http/errorMiddleware.js';
import { createLogger } from '../../server/logger.js';
import { openStore, type StoreClients } from '../../server/store/clickhouse.js';
import type { EventRow } from '../../server/store/eventRows.js';
import { engineFileLoader, type FileLoader } from '../../server/store/fileLoaders.js';
import { migrate } from '../../server/store/migrate.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor } from '../../server/store/schema.js';
import { spoolFileRowSink, type SpoolFileSink } from '../../server/store/spoolFileSink.js';
import { sql } from '../../server/store/sql.js';
import { checkLedger } from './support/ackLedger.js';
import { scaled } from './support/faultRun.js';

// Fault: ClickHouse stops answering for a while. The embedded engine cannot be stopped from outside, so the
// store is played by a test double at the spool's loader port (the FileLoader a durable table loads through),
// which refuses every load as a connection failure during the outage and loads for real otherwise. The rest is
// the real ingest path, wired as openDurableTable wires it: POST /v1/events → EventIngestor → GroupCommitter →
// the fsync'd spool (a small cap) → loader.

const TOKEN = 'outage-test-ingest-token-0123456789';
const SPOOL_CAP_BYTES = 2 * 1024 ** 2;
const BATCH = 500;
const MEMORY_BOUND_MIB = 200;
const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-outage-'));
const outage = { down: false, refusedLoads: 0 };
let store: StoreClients;
let spool: SpoolFileSink<EventRow>;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  const real = engineFileLoader(store.ingest, schema, 'events');
  const load: FileLoader = async (files, token) => {
    if (!outage.down) return real(files, token);
    outage.refusedLoads++;
    return { ok: false, retryable: true, error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }) };
  };
  spool = spoolFileRowSink<EventRow>(path.join(dataDir, 'flowlens-spool'), { load, maxSpoolBytes: SPOOL_CAP_BYTES, retryMs: 250 });
  await spool.recover();
  const committer = new GroupCommitter<EventRow>(spool, { maxBatchRows: 50_000, maxPendingRows: 200_000, backlogRows: () => spool.backlogRows });
  const ingestor = new EventIngestor(committer, { accepted: () => {}, rejected: () => {}, duplicates: () => {} });
  const app = express();
  app.use(eventsRoute(ingestor, { tokens: [TOKEN], maxBodyBytes: 16 * 1024 ** 2 }));
  app.use(errorMiddleware(createLogger({ logLevel: 'silent' })));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await spool?.close();
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let nextBatch = 0;
function batch(): { ids: string[]; body: string } {
  const b = nextBatch++;
  const ids: string[] = [];
  const lines: string[] = [];
  for (let i = b * BATCH; i < (b + 1) * BATCH; i++) {
    ids.push(`outage-${i}`);
    lines.push(JSON.stringify({ event_id: `outage-${i}`, correlation_id: `otc-${Math.floor(i / 4)}`, flow: 'order_to_cash', step: 'shop.order.created', system: 'shopify', occurred_at: Date.UTC(2026, 10, 27, 10) + i, keys: { order_id: `SO-${i}` } }));
  }
  return { ids, body: lines.join('\n') };
}

type Answer = { status: number; retryAfter: string | null; ids: string[] };
async function post(): Promise<Answer> {
  const { ids, body } = batch();
  const res = await fetch(`${baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ids };
}

async function storedIds(): Promise<string[]> {
  const rows = await queryRows<{ event_id: string }>(store.query, sql`SELECT event_id FROM ${schema.table('events')}`);
  return rows.map((r) => r.event_id);
}

const mib = (bytes: number) => bytes / 1024 ** 2;

describe('the store unavailable for a while', () => {
  it('acknowledges into the spool up to its cap, then answers 503/429 with Retry-After, stays bounded in memory, and loads everything once when the store is back', async () => {
    const acked = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const answer = await post();
      expect(answer.status).toBe(200);
      answer.ids.forEach((id) => acked.add(id));
    }
    await spool.flush();
    expect(await storedIds()).toHaveLength(acked.size);

    outage.down = true;
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const during: Answer[] = [];
    try {
      // Two senders keep sending until each has been refused a few times (bounded: the cap is a few MB).
      const refusalsPerSender = scaled(3);
      const sender = async () => {
        let refused = 0;
        while (refused < refusalsPerSender && during.length < 2_000) {
          const answer = await post();
          during.push(answer);
          if (answer.status === 200) answer.ids.forEach((id) => acked.add(id));
          else refused++;
        }
      };
      await Promise.all([sender(), sender()]);
    } finally {
      clearInterval(sampler);
    }
    const ackedInOutage = during.filter((a) => a.status === 200).length;
    const refusals = during.filter((a) => a.status !== 200);
    console.info(
      `[faults] outage: ${ackedInOutage} batches acknowledged into the spool (${spool.waiting.bytes} bytes waiting, cap ${SPOOL_CAP_BYTES}), ` +
        `${refusals.length} refused (${[...new Set(refusals.map((r) => r.status))].join('/')}), ${outage.refusedLoads} loads refused, RSS +${mib(peakRss - rssBefore).toFixed(1)} MiB`,
    );

    // Acks continued into the spool while the store was down, up to about its cap…
    expect(ackedInOutage * BATCH).toBeGreaterThan(1_000);
    expect(outage.refusedLoads).toBeGreaterThan(0);
    expect(spool.waiting.bytes).toBeGreaterThanOrEqual(SPOOL_CAP_BYTES);
    expect(spool.waiting.bytes).toBeLessThan(SPOOL_CAP_BYTES * 1.5);
    // …then the sender is told to come back later, and nothing else.
    expect(refusals.length).toBeGreaterThan(0);
    for (const r of refusals) {
      expect([429, 503]).toContain(r.status);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    const firstRefusal = during.findIndex((a) => a.status !== 200);
    expect(during.slice(firstRefusal).filter((a) => a.status === 200)).toEqual([]);
    expect(mib(peakRss - rssBefore)).toBeLessThan(MEMORY_BOUND_MIB);
    // Nothing reached the store during the outage.
    expect(await storedIds()).toHaveLength(4 * BATCH);

    outage.down = false;
    const recovered = Date.now();
    await waitFor(async () => spool.waiting.batches === 0, 60_000);
    console.info(`[faults] outage: the spool drained ${Date.now() - recovered} ms after the store came back`);
    const after = await post();
    expect(after.status).toBe(200);
    after.ids.forEach((id) => acked.add(id));
    await spool.flush();

    const stored = await storedIds();
    const ledger = checkLedger(acked, stored);
    expect(ledger.missing).toEqual([]);
    expect(ledger.duplicated).toEqual([]);
    // Exactly what was acknowledged: a refused batch left nothing behind to load later.
    expect(ledger.distinct).toBe(acked.size);
  });
});

async function waitFor(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
