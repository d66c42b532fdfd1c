import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/clickhouse.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';
import { checkLedger } from './support/ackLedger.js';
import { faultRng, scaled } from './support/faultRun.js';

// Fault: the server process is SIGKILLed mid-ingest, again and again, and restarted on the same data folder.
// Un-acknowledged batches are not re-sent, so any stored duplicate is the server's own (a spool reload that
// landed twice). FLOWLENS_FAULTS_SCALE multiplies the rounds; FLOWLENS_FAULTS_SEED replays the kill moments.

const TOKEN = 'crash-test-ingest-token-0123456789';
const BATCH = 1_000;
const WORKERS = 3;
const ROUNDS = scaled(4);
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-sigkill-'));
const env = { FLOWLENS_DATA_DIR: dataDir, FLOWLENS_INGEST_TOKENS: TOKEN };
let server: ChildServer | undefined;

afterAll(async () => {
  await server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function batch(b: number): { ids: string[]; body: string } {
  const ids: string[] = [];
  const lines: string[] = [];
  const base = Date.UTC(2026, 10, 27, 10);
  for (let i = b * BATCH; i < (b + 1) * BATCH; i++) {
    const id = `crash-${i}`;
    ids.push(id);
    lines.push(
      JSON.stringify({ event_id: id, correlation_id: `c-${Math.floor(i / 5)}`, flow: 'inventory_sync', step: 'pos.sale.captured', system: 'pos', occurred_at: base + i, keys: { receipt_id: `r-${i}` } }),
    );
  }
  return { ids, body: lines.join('\n') };
}

type Sent = { acked: string[]; attempted: number; next: number };

/** Send batches from `from` with WORKERS in flight until `until()` says stop or the server dies; returns what was acknowledged with 200. */
async function send(baseUrl: string, from: number, until: (next: number) => boolean): Promise<Sent> {
  const sent: Sent = { acked: [], attempted: 0, next: from };
  const worker = async () => {
    while (!until(sent.next)) {
      const { ids, body } = batch(sent.next++);
      sent.attempted++;
      try {
        const res = await fetch(`${baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
        if (res.status === 200) sent.acked.push(...ids);
        await res.body?.cancel();
      } catch {
        return; // the server died mid-request: not acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return sent;
}

describe('SIGKILL in the middle of ingest, repeated', () => {
  it('loses no acknowledged event and stores none twice, across every kill and restart', { timeout: 60_000 + ROUNDS * 45_000 }, async () => {
    const { rng } = faultRng('sigkill');
    const acked = new Set<string>();
    let attempted = 0;
    let next = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      server = await startChildServer(env);
      const victim = server;
      // A random moment: sometimes while the first batches are fsync'd, sometimes deep into a load.
      const killAfterMs = rng.int(150, 2_500);
      const killer = setTimeout(() => void victim.kill('SIGKILL'), killAfterMs);
      const round_ = await send(victim.baseUrl, next, () => victim.process.signalCode !== null);
      clearTimeout(killer);
      await victim.kill('SIGKILL');
      console.info(`[faults] sigkill round ${round}: killed after ${killAfterMs} ms, ${round_.acked.length} events acknowledged of ${round_.attempted * BATCH} sent`);
      for (const id of round_.acked) acked.add(id);
      attempted += round_.attempted;
      next = round_.next;
    }

    // A last, clean run: the spool left by the last kill is loaded at start, and ingest still works.
    server = await startChildServer(env);
    const last = await send(server.baseUrl, next, (n) => n >= next + 10);
    expect(last.acked).toHaveLength(10 * BATCH);
    for (const id of last.acked) acked.add(id);
    attempted += last.attempted;
    await server.kill('SIGTERM');

    const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    try {
      const stored = await queryRows<{ event_id: string }>(store.query, sql`SELECT event_id FROM ${schemaFor('flowlens').table('events')}`);
      const ledger = checkLedger(acked, stored.map((r) => r.event_id));
      console.info(`[faults] sigkill: ${ledger.acknowledged} acknowledged, ${ledger.stored} rows stored (${ledger.distinct} distinct) over ${ROUNDS} kills`);
      // Only the batches in flight at each kill may go unacknowledged.
      expect(ledger.acknowledged).toBeGreaterThanOrEqual((attempted - ROUNDS * WORKERS) * BATCH);
      expect(ledger.missing).toEqual([]);
      expect(ledger.duplicated).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
