import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBackground } from './backgroundWork.js';
import { openStore, type StoreClients } from './clickhouse.js';
import { queryRows } from './queryRows.js';
import { param, sql } from './sql.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-embedded-'));
let store: StoreClients;

beforeAll(() => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const timed = async <T>(work: Promise<T>) => {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
};

describe('the embedded engine behind the query client', () => {
  it('gives back exactly the values it was given, however hostile', async () => {
    const values = ["it's", 'back\\slash\\', "' OR 1=1 --", 'new\nline\ttab\rcr', 'nul\0byte', '{p1:String}', 'ünïcødé 😀', ''];
    for (const value of values) {
      const [row] = await queryRows<{ v: string; list: string[]; n: number }>(store.query, sql`SELECT ${value} AS v, ${param.arrayString([value, 'x'])} AS list, length(${value}) AS n`);
      expect(row).toEqual({ v: value, list: [value, 'x'], n: Buffer.byteLength(value) });
    }
    const [typed] = await queryRows<{ at: string; big: string; f: number; b: boolean }>(
      store.query,
      sql`SELECT ${param.dateTime64(Date.UTC(2026, 10, 27, 10, 0, 0, 7))} AS at, toString(${param.uint64(2n ** 63n)}) AS big, ${param.float64(0.1)} AS f, ${param.bool(true)} AS b`,
    );
    expect(typed).toEqual({ at: '2026-11-27 10:00:00.007', big: String(2n ** 63n), f: 0.1, b: true });
  });

  it('runs a cheap query beside a costly one instead of after it', async () => {
    const costly = timed(queryRows(store.query, sql`SELECT sum(number) AS s FROM numbers(${param.uint64(1_500_000_000)})`));
    await new Promise((r) => setTimeout(r, 50));
    const cheap = await timed(queryRows(store.query, sql`SELECT ${'ok'} AS v`));
    const slow = await costly;

    expect(cheap.value).toEqual([{ v: 'ok' }]);
    // Queued behind it, the cheap query would have taken the rest of the costly one's time.
    expect(cheap.ms).toBeLessThan(slow.ms / 2);
  });

  it('puts a call\'s settings back before its connection takes another call (an insert\'s deduplication token must not outlive it)', async () => {
    await store.query.command({ query: 'CREATE TABLE t_dedup (n UInt32) ENGINE = MergeTree ORDER BY n SETTINGS non_replicated_deduplication_window = 100' });
    await store.query.insert({ table: 't_dedup', values: [{ n: 1 }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'batch-1' } });
    // Another batch on any connection, without a token of its own: stored, not taken for batch-1 again.
    for (let n = 2; n <= 4; n++) await store.query.insert({ table: 't_dedup', values: [{ n }], format: 'JSONEachRow' });
    const rows = await queryRows<{ n: number }>(store.query, sql`SELECT n FROM t_dedup ORDER BY n`);
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 4]);
  });

  it('runs background work one query at a time, on one thread at the lowest priority, leaving connections for the rest', async () => {
    const settings = () =>
      queryRows<{ threads: number; nice: number }>(store.query, sql`SELECT getSetting('max_threads') AS threads, getSetting('os_thread_priority') AS nice`);
    expect(await inBackground(settings)).toEqual([{ threads: 1, nice: 19 }]);
    // On every connection afterwards (whichever ran the background query), a screen's query runs as it was.
    for (let i = 0; i < 6; i++) expect((await settings())[0]).toEqual({ threads: 2, nice: 0 });

    const costly = () => queryRows(store.query, sql`SELECT sum(number) AS s FROM numbers(${param.uint64(600_000_000)})`);
    const started = performance.now();
    const finished: number[] = [];
    const background = inBackground(() => Promise.all([costly(), costly()].map((p) => p.then(() => finished.push(performance.now() - started)))));
    await new Promise((r) => setTimeout(r, 50));
    const cheap = await timed(queryRows(store.query, sql`SELECT ${'ok'} AS v`));
    await background;

    // One after the other: the second finished about when twice the first had.
    expect(finished[1]! / finished[0]!).toBeGreaterThan(1.6);
    expect(cheap.ms).toBeLessThan(finished[0]! / 2);
  });
});
