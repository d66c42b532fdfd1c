import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { openStore } from '../../server/store/clickhouse.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';
import { makeEvent, postEvents, startTestServer, type TestServer } from '../support/testServer.js';
import { checkLedger } from './support/ackLedger.js';
import { FAULTS_SCALE, sampleRss } from './support/faultRun.js';

// Fault: more traffic than the server can take. A burst against a tiny queue (in process), then twice the
// measured capacity for a bounded time against a server in its own process (its RSS sampled from /proc).
// FLOWLENS_FAULTS_SCALE lengthens the sustained overload.

describe('a burst beyond the ingest queue', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A tiny queue so a burst of concurrent requests overflows it.
    server = await startTestServer({ env: { FLOWLENS_INGEST_MAX_PENDING_ROWS: '100' } });
  });
  // Closed before the next describe opens this file's store directly (one data folder per process).
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 with Retry-After for what it cannot take, and keeps every event it acknowledged', async () => {
    const requests = Array.from({ length: 24 }, (_, r) =>
      Array.from({ length: 60 }, (_, i) => makeEvent({ event_id: `burst-${r}-${i}`, correlation_id: `burst-${r}`, keys: { order_id: `SO-BURST-${r}` } })),
    );
    const answers = await Promise.all(requests.map((events) => postEvents(server, events)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    for (const refused of answers.filter((a) => a.status === 429)) expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const refused = answers.find((a) => a.status === 429)!;
    expect(await refused.json()).toMatchObject({ error: { code: 'overloaded', message: expect.stringContaining('retry') } });

    await server.flush();
    for (const [r, answer] of answers.entries()) {
      const lineage = await server.api(`/api/v1/lineage?key=SO-BURST-${r}&depth=0`, {}, 'viewer');
      if (answer.status === 200) {
        expect(lineageResponseSchema.parse(await lineage.json()).events).toHaveLength(60);
      } else {
        expect(lineage.status).toBe(404);
      }
    }
  });
});

const TOKEN = 'overload-test-ingest-token-0123456789';
const BATCH = 1_000;
const MEASURE_MS = 3_000;
const OVERLOAD_MS = 8_000 * FAULTS_SCALE;
const RSS_GROWTH_BOUND_MIB = 400;

describe('twice the capacity, for a bounded time', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-overload-'));
  let child: ChildServer | undefined;
  afterAll(async () => {
    await child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers only 2xx, 429 or 503 (with Retry-After), stays bounded in memory, and keeps every event it acknowledged', { timeout: 120_000 + OVERLOAD_MS * 2 }, async () => {
    child = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_INGEST_TOKENS: TOKEN, FLOWLENS_INGEST_MAX_PENDING_ROWS: '50000' });
    const baseUrl = child.baseUrl;
    let next = 0;
    const acked = new Set<string>();
    const statuses = new Map<string, number>();
    const badAnswers: string[] = [];
    const post = async (): Promise<number> => {
      const b = next++;
      const ids = Array.from({ length: BATCH }, (_, i) => `overload-${b * BATCH + i}`);
      const body = ids.map((id, i) => JSON.stringify({ event_id: id, correlation_id: `c-${b}-${i % 50}`, flow: 'inventory_sync', step: 'pos.sale.captured', system: 'pos', occurred_at: Date.UTC(2026, 10, 27, 10) + b * BATCH + i })).join('\n');
      let status: number;
      try {
        const res = await fetch(`${baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
        await res.arrayBuffer();
        status = res.status;
        if (status === 200) ids.forEach((id) => acked.add(id));
        if ((status === 429 || status === 503) && !(Number(res.headers.get('retry-after')) >= 1)) badAnswers.push(`${status} without Retry-After`);
      } catch (err) {
        status = 0;
        badAnswers.push(`connection failed: ${(err as Error).message}`);
      }
      const key = String(status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      return status;
    };

    // Capacity: what four closed-loop senders get acknowledged per second.
    const measureUntil = Date.now() + MEASURE_MS;
    const measured = { acked: 0 };
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < measureUntil) if ((await post()) === 200) measured.acked += BATCH;
      }),
    );
    const capacity = measured.acked / (MEASURE_MS / 1000);
    expect(capacity).toBeGreaterThan(0);

    // Twice that, open loop: requests go out on the clock whatever the answers, up to 256 in flight.
    const rss = sampleRss(child.process.pid!);
    const inFlight = new Set<Promise<number>>();
    let offered = 0;
    let skipped = 0;
    const started = Date.now();
    while (Date.now() < started + OVERLOAD_MS) {
      // Requests owed by the clock so far at twice the capacity, whatever the answers were.
      const owed = Math.floor((2 * capacity * (Date.now() - started)) / 1000 / BATCH) - offered - skipped;
      for (let i = 0; i < owed; i++) {
        if (inFlight.size >= 256) {
          skipped++;
          continue;
        }
        offered++;
        const request = post().finally(() => inFlight.delete(request));
        inFlight.add(request);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(inFlight);
    const offeredRatio = (offered * BATCH) / (OVERLOAD_MS / 1000) / capacity;
    const memory = rss.stop();
    const summary = Object.fromEntries(statuses);
    console.info(
      `[faults] overload: capacity ${Math.round(capacity)} events/s, offered ${Math.round((offered * BATCH) / (OVERLOAD_MS / 1000))} events/s (${offeredRatio.toFixed(2)}×) for ${OVERLOAD_MS} ms ` +
        `(${skipped} requests not sent: 256 in flight), answers ${JSON.stringify(summary)}, server RSS ${memory.first.toFixed(0)} → peak ${memory.peak.toFixed(0)} MiB`,
    );

    expect(offeredRatio).toBeGreaterThan(1.5);
    expect(badAnswers.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].filter((s) => !['200', '429', '503'].includes(s))).toEqual([]);
    expect(memory.peak - memory.first).toBeLessThan(RSS_GROWTH_BOUND_MIB);
    // The server is still there and takes work again once its backlog drains, as its Retry-After said.
    const settled = Date.now() + 60_000;
    let after = await post();
    while (after !== 200 && Date.now() < settled) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      after = await post();
    }
    expect(after).toBe(200);
    await child.kill('SIGTERM');

    const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    try {
      const stored = await queryRows<{ event_id: string }>(store.query, sql`SELECT event_id FROM ${schemaFor('flowlens').table('events')}`);
      const ledger = checkLedger(acked, stored.map((r) => r.event_id));
      expect(ledger.missing).toEqual([]);
      expect(ledger.duplicated).toEqual([]);
      // A refused request stores nothing: exactly the acknowledged events are there.
      expect(ledger.distinct).toBe(acked.size);
    } finally {
      await store.close();
    }
  });
});
