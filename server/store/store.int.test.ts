import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreClients } from './clickhouse.js';
import { toEventRow, type EventRow } from './eventRows.js';
import { engineFileLoader, streamFileLoader, type FileLoader } from './fileLoaders.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { queryRows } from './queryRows.js';
import { schemaFor } from './schema.js';
import { sql } from './sql.js';
import { validateEvent } from '../contracts/canonicalEvent.js';

const quiet = { info: () => {}, warn: () => {} };
const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-store-'));
let store: StoreClients;

function row(id: string, extra: Record<string, unknown> = {}) {
  const result = validateEvent({
    event_id: id,
    correlation_id: 'c-1',
    flow: 'return_to_refund',
    step: 'payment.refund.created',
    system: 'stripe',
    occurred_at: '2026-11-27T10:00:00.000Z',
    keys: { refund_id: 're_1', order_id: 'SO-1' },
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return toEventRow(result.event, '2026-11-27 10:00:01.000');
}

const countEvents = async () =>
  Number((await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('events')}`))[0]!.n);

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('migrations on the embedded engine', () => {
  it('apply every numbered migration once and record it', async () => {
    const report = await migrate(store.query, schema, quiet);
    expect(report.applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const recorded = await queryRows<{ version: number }>(store.query, sql`SELECT version FROM ${schema.table('migrations')} FINAL ORDER BY version`);
    expect(recorded.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('re-run on an existing folder as a no-op', async () => {
    const report = await migrate(store.query, schema, quiet);
    expect(report).toEqual({ applied: [], alreadyApplied: MIGRATIONS.length, changed: [] });
  });

  it('notice a migration edited after it was applied', async () => {
    const edited = MIGRATIONS.map((m) => (m.version === 2 ? { ...m, statements: () => [sql`SELECT 1`] } : m));
    const report = await migrate(store.query, schema, quiet, edited);
    expect(report.changed).toEqual([{ version: 2, name: 'business_key_lookup' }]);
  });
});

describe('insert deduplication on the non-replicated events table', () => {
  let files = 0;
  const batchFile = (rows: EventRow[]) => {
    const file = path.join(dataDir, `batch-${files++}.ndjson`);
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    return file;
  };
  const loaders: [string, () => FileLoader][] = [
    ['client.insert (server mode)', () => streamFileLoader(store.ingest, schema, 'events')],
    ['engine file load (embedded)', () => engineFileLoader(store.ingest, schema, 'events')],
  ];

  for (const [name, loader] of loaders) {
    it(`${name}: stores a batch loaded twice with the same token once`, async () => {
      const before = await countEvents();
      const file = batchFile([row(`${name}-1`), row(`${name}-2`)]);
      expect(await loader()([file], `${files}-retried`)).toEqual({ ok: true });
      expect(await loader()([file], `${files}-retried`)).toEqual({ ok: true });
      expect((await countEvents()) - before).toBe(2);
    });

    it(`${name}: stores the next batch with its own token (a token never leaks into later inserts)`, async () => {
      const before = await countEvents();
      await loader()([batchFile([row(`${name}-3`)])], `${files}-a`);
      await loader()([batchFile([row(`${name}-4`)])], `${files}-b`);
      expect((await countEvents()) - before).toBe(2);
    });

    it(`${name}: loads several files as one insert, and the same files again with the same token once`, async () => {
      const before = await countEvents();
      const group = [batchFile([row(`${name}-5`), row(`${name}-6`)]), batchFile([row(`${name}-7`)]), batchFile([row(`${name}-8`)])];
      expect(await loader()(group, `${files}-group`)).toEqual({ ok: true });
      expect(await loader()([...group].reverse(), `${files}-group`)).toEqual({ ok: true });
      expect((await countEvents()) - before).toBe(4);
    });
  }

  const sink = () => {
    const load = engineFileLoader(store.ingest, schema, 'events');
    return { write: (rows: EventRow[], token: string) => load([batchFile(rows)], token) };
  };

  it('feeds the key lookup and the milestones through their materialized views, a re-sent event changing nothing', async () => {
    await sink().write([row('state-1', { correlation_id: 'c-state', step: 'oms.return.received', occurred_at: '2026-11-27T09:00:00.000Z' })], 'tok-s1');
    await sink().write(
      [row('state-2', { correlation_id: 'c-state', step: 'erp.credit_memo.posted', status: 'failed', occurred_at: '2026-11-27T09:05:00.000Z' })],
      'tok-s2',
    );
    // The same event again, in a new batch: the milestones must not change.
    await sink().write([row('state-2', { correlation_id: 'c-state', step: 'erp.credit_memo.posted', status: 'failed', occurred_at: '2026-11-27T09:05:00.000Z' })], 'tok-s3');
    const [state] = await queryRows<{ ok: Record<string, string>; failed: Record<string, string> }>(
      store.query,
      sql`SELECT minMap(first_ok) AS ok, maxMap(last_failed) AS failed
          FROM ${schema.table('flowMilestones')} WHERE correlation_id = ${'c-state'} GROUP BY flow, correlation_id`,
    );
    expect(state).toEqual({ ok: { 'oms.return.received': '2026-11-27 09:00:00.000' }, failed: { 'erp.credit_memo.posted': '2026-11-27 09:05:00.000' } });
    const keys = await queryRows<{ key_name: string; correlation_id: string }>(
      store.query,
      sql`SELECT key_name, correlation_id FROM ${schema.table('keyLookup')} WHERE key_value = ${'re_1'} GROUP BY ALL ORDER BY ALL`,
    );
    expect(keys).toContainEqual({ key_name: 'refund_id', correlation_id: 'c-state' });
  });
});

describe('a store reopened on the same folder', () => {
  it('keeps its data and finds nothing to migrate', async () => {
    const before = await countEvents();
    await store.close();
    store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    expect(await countEvents()).toBe(before);
    expect((await migrate(store.query, schema, quiet)).applied).toEqual([]);
  });
});
