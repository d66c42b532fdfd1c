import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/clickhouse.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';

const TOKEN = 'crash-test-ingest-token-0123456789';
const TOTAL = 200_000;
const BATCH = 1_000;
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-crash-'));
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

/** Send batches from `from` at a steady pace with 2 in flight; returns the ids acknowledged with 200. */
async function send(baseUrl: string, from: number, to: number, onProgress: (sent: number) => void): Promise<{ acked: string[]; next: number }> {
  const acked: string[] = [];
  let next = from;
  const worker = async () => {
    while (next < to) {
      const b = next++;
      const { ids, body } = batch(b);
      try {
        const res = await fetch(`${baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
        if (res.status === 200) acked.push(...ids);
        await res.body?.cancel();
      } catch {
        return; // the server died mid-request: not acknowledged
      }
      onProgress(next);
    }
  };
  await Promise.all([worker(), worker()]);
  return { acked, next };
}

describe('SIGKILL in the middle of ingest', () => {
  it('loses no acknowledged event and stores none twice', async () => {
    const env = { FLOWLENS_DATA_DIR: dataDir, FLOWLENS_INGEST_TOKENS: TOKEN };
    server = await startChildServer(env);
    const killAt = Math.floor((TOTAL / BATCH) * (0.3 + Math.random() * 0.4));
    let killed = false;
    const victim = server;
    const first = await send(server.baseUrl, 0, TOTAL / BATCH, (sent) => {
      if (!killed && sent >= killAt) {
        killed = true;
        void victim.kill('SIGKILL');
      }
    });
    expect(killed).toBe(true);

    server = await startChildServer(env);
    const second = await send(server.baseUrl, first.next, TOTAL / BATCH, () => {});
    await server.kill('SIGTERM');

    const acked = new Set([...first.acked, ...second.acked]);
    const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    try {
      const schema = schemaFor('flowlens');
      const stored = await queryRows<{ event_id: string }>(store.query, sql`SELECT event_id FROM ${schema.table('events')}`);
      const storedIds = new Set(stored.map((r) => r.event_id));
      const missing = [...acked].filter((id) => !storedIds.has(id));
      expect(acked.size).toBeGreaterThan(TOTAL * 0.9);
      expect(missing).toEqual([]);
      expect(stored.length - storedIds.size).toBe(0);
    } finally {
      await store.close();
    }
  });
});
