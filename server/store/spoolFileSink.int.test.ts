import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../contracts/canonicalEvent.js';
import { openStore, type StoreClients } from './clickhouse.js';
import { toEventRow, type EventRow } from './eventRows.js';
import { engineFileLoader, type FileLoader } from './fileLoaders.js';
import { migrate } from './migrate.js';
import { queryRows } from './queryRows.js';
import { schemaFor } from './schema.js';
import { spoolFileRowSink, type SpoolOptions } from './spoolFileSink.js';
import { sql } from './sql.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-spool-'));
let store: StoreClients;
let folders = 0;

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function row(id: string, extra: Record<string, unknown> = {}): EventRow {
  const result = validateEvent({
    event_id: id,
    correlation_id: 'c-spool',
    flow: 'order_to_cash',
    step: 'shop.order.created',
    system: 'shopify',
    occurred_at: '2026-11-27T10:00:00.000Z',
    keys: { order_id: 'SO-1' },
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return toEventRow(result.event, '2026-11-27 10:00:01.000');
}

/** How many rows of these ids the table holds (duplicates included: the spool must not make any). */
async function stored(prefix: string): Promise<number> {
  const [r] = await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('events')} WHERE startsWith(event_id, ${prefix})`);
  return Number(r!.n);
}

const realLoad = () => engineFileLoader(store.ingest, schema, 'events');

/** A test double at the loader port: counts loads, can hold them, can play a store outage, then loads for real. */
function storeDouble() {
  const state = { up: true, loads: [] as number[], held: undefined as Promise<void> | undefined };
  const real = realLoad();
  const load: FileLoader = async (files, token) => {
    await state.held;
    if (!state.up) return { ok: false, retryable: true, error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }) };
    state.loads.push(files.length);
    return real(files, token);
  };
  const hold = () => {
    let release!: () => void;
    state.held = new Promise((resolve) => (release = resolve));
    return () => {
      state.held = undefined;
      release();
    };
  };
  return { state, load, hold };
}

function newSpool(options: Partial<SpoolOptions<EventRow, number>> = {}, dir = path.join(dataDir, `spool-${folders++}`)) {
  const sink = spoolFileRowSink<EventRow, number>(dir, { load: realLoad(), ...options });
  return { sink, dir };
}

describe('the write-ahead spool', () => {
  it('acknowledges a batch once it is on disk, loads it in the background, and leaves nothing behind', async () => {
    const { sink, dir } = newSpool();
    expect(await sink.write([row('ack-1'), row('ack-2')], 'ack-batch')).toEqual({ ok: true });
    await sink.flush();
    expect(await stored('ack-')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    expect(sink.waiting).toEqual({ batches: 0, rows: 0, bytes: 0 });
  });

  it('loads the batches that arrive during a load together, in one insert', async () => {
    const double = storeDouble();
    const loaded: { rows: number; notes: readonly (number | undefined)[] }[] = [];
    const { sink } = newSpool({ load: double.load, note: (rows) => rows.length, onLoaded: (l) => loaded.push(l) });
    const release = double.hold();
    await sink.write([row('group-0')], 'group-a');
    for (let i = 1; i <= 5; i++) await sink.write([row(`group-${i}`), row(`group-${i}b`)], `group-b${i}`);
    expect(sink.waiting).toMatchObject({ batches: 6, rows: 11 });
    release();
    await sink.flush();
    expect(double.state.loads).toEqual([1, 5]);
    expect(loaded).toEqual([
      { rows: 1, notes: [1], bytes: expect.any(Number), seconds: expect.any(Number) },
      { rows: 10, notes: [2, 2, 2, 2, 2], bytes: expect.any(Number), seconds: expect.any(Number) },
    ]);
    expect(await stored('group-')).toBe(11);
  });

  it('counts a load as loaded at the moment nothing is waiting any more (what /metrics readers wait on)', async () => {
    const double = storeDouble();
    let loadedRows = 0;
    const { sink } = newSpool({ load: double.load, onLoaded: (l) => (loadedRows += l.rows) });
    const release = double.hold();
    for (let i = 0; i < 4; i++) await sink.write([row(`moment-${i}`), row(`moment-${i}b`)], `moment-${i}`);
    release();
    // Watch every turn of the event loop: whenever nothing is waiting, everything is counted as loaded.
    const seen: { waiting: number; loaded: number }[] = [];
    while (loadedRows < 8 || sink.waiting.batches > 0) {
      seen.push({ waiting: sink.waiting.batches, loaded: loadedRows });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sink.flush();
    expect(seen.filter((s) => s.waiting === 0 && s.loaded < 8)).toEqual([]);
    expect(seen.length).toBeGreaterThan(1);
  });

  it('caps a load at maxGroupRows', async () => {
    const double = storeDouble();
    const { sink } = newSpool({ load: double.load, maxGroupRows: 4 });
    const release = double.hold();
    await sink.write([row('cap-0')], 'cap-0');
    for (let i = 1; i <= 4; i++) await sink.write([row(`cap-${i}a`), row(`cap-${i}b`)], `cap-${i}`);
    release();
    await sink.flush();
    expect(double.state.loads).toEqual([1, 2, 2]);
    expect(await stored('cap-')).toBe(9);
  });
});

describe('after a crash, the spool', () => {
  /** Lay out a spool folder as a crash left it. */
  function crashedFolder(files: Record<string, EventRow[] | object>): string {
    const dir = path.join(dataDir, `crashed-${folders++}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), Array.isArray(content) ? content.map((r) => `${JSON.stringify(r)}\n`).join('') : JSON.stringify(content));
    }
    return dir;
  }

  it('reloads an interrupted load with exactly its files and token, so a load that had landed lands once', async () => {
    const dir = crashedFolder({ 'seg-a.ndjson': [row('crash1-a')], 'seg-b.ndjson': [row('crash1-b'), row('crash1-c')] });
    // The load had reached the table before the crash: only the manifest rename and the removals were lost.
    writeFileSync(path.join(dir, 'g1.group'), JSON.stringify({ token: 'g1', segments: ['seg-a.ndjson', 'seg-b.ndjson'] }));
    await realLoad()([path.join(dir, 'seg-a.ndjson'), path.join(dir, 'seg-b.ndjson')], 'g1');
    writeFileSync(path.join(dir, 'seg-c.ndjson'), `${JSON.stringify(row('crash1-d'))}\n`); // acknowledged later, never loaded
    const { sink } = newSpool({}, dir);
    expect(await sink.recover()).toBe(3);
    expect(await stored('crash1-')).toBe(4);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finishes removing a group marked loaded, without loading it again', async () => {
    const dir = crashedFolder({
      'seg-done.ndjson': [row('crash2-a')],
      'g2.done': { token: 'g2', segments: ['seg-done.ndjson'] },
      'torn.ndjson.partial': [row('crash2-torn')],
    });
    const { sink } = newSpool({}, dir);
    expect(await sink.recover()).toBe(0);
    expect(await stored('crash2-')).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reloads a batch an earlier version was loading alone with that batch token', async () => {
    const dir = crashedFolder({ 'legacy-1.inflight': [row('crash3-a'), row('crash3-b')] });
    await realLoad()([path.join(dir, 'legacy-1.inflight')], 'legacy-1');
    const { sink } = newSpool({}, dir);
    await sink.recover();
    expect(await stored('crash3-')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('bad data in the spool', () => {
  it('sets aside the one batch the store refuses, as .rejected, and loads its neighbours', async () => {
    const double = storeDouble();
    const rejected: string[] = [];
    const { sink, dir } = newSpool({ load: double.load, onRejected: (segment) => rejected.push(segment) });
    const release = double.hold();
    await sink.write([row('bad-0')], 'bad-0');
    await sink.write([row('bad-1')], 'bad-1');
    await sink.write([{ ...row('bad-2'), occurred_at: 'not a time' }], 'bad-2');
    await sink.write([row('bad-3')], 'bad-3');
    release();
    await sink.flush();
    expect(await stored('bad-')).toBe(3);
    expect(rejected).toEqual(['bad-2.ndjson']);
    expect(readdirSync(dir)).toEqual(['bad-2.ndjson.rejected']);
    expect(sink.waiting).toEqual({ batches: 0, rows: 0, bytes: 0 });
  });
});

describe('while the store is unavailable, the spool', () => {
  it('keeps acknowledging from disk and loads everything once when the store is back', async () => {
    const double = storeDouble();
    double.state.up = false;
    const events: string[] = [];
    const { sink, dir } = newSpool({ load: double.load, retryMs: 50, onStoreDown: () => events.push('down'), onStoreBack: () => events.push('back') });
    expect(await sink.write([row('out-1'), row('out-2')], 'out-a')).toEqual({ ok: true });
    await sink.flush(); // settles: the store is down
    expect(sink.storeAvailable).toBe(false);
    expect(await sink.write([row('out-3')], 'out-b')).toEqual({ ok: true });
    expect(sink.backlogRows).toBe(0); // the byte cap governs while the store is down, not the backlog
    expect(sink.waiting).toMatchObject({ batches: 2, rows: 3 });
    expect(await stored('out-')).toBe(0);

    double.state.up = true;
    await expect.poll(() => sink.storeAvailable, { timeout: 5_000 }).toBe(true);
    await sink.flush();
    expect(await stored('out-')).toBe(3);
    expect(events).toEqual(['down', 'back']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses new batches once the spool is full, so the sender is told to retry', async () => {
    const double = storeDouble();
    double.state.up = false;
    const { sink, dir } = newSpool({ load: double.load, maxSpoolBytes: 1, retryMs: 60_000 });
    expect(await sink.write([row('full-1')], 'full-a')).toEqual({ ok: true });
    const refused = await sink.write([row('full-2')], 'full-b');
    expect(refused).toMatchObject({ ok: false, retryable: true, error: { message: expect.stringContaining('spool is full') } });
    expect(readdirSync(dir).filter((n) => n.endsWith('.ndjson'))).toEqual(['full-a.ndjson']);
    await sink.close();
  });

  it('leaves what it could not load on disk at close, for the next start', async () => {
    const double = storeDouble();
    double.state.up = false;
    const { sink, dir } = newSpool({ load: double.load, retryMs: 60_000 });
    await sink.write([row('later-1')], 'later-a');
    await sink.write([row('later-2')], 'later-b');
    await sink.close();
    const next = newSpool({}, dir).sink;
    expect(await next.recover()).toBe(2);
    expect(await stored('later-')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the backlog', () => {
  it('counts acknowledged rows not loaded yet while the store answers', async () => {
    const double = storeDouble();
    const { sink } = newSpool({ load: double.load });
    const release = double.hold();
    await sink.write([row('backlog-1'), row('backlog-2')], 'backlog-a');
    expect(sink.backlogRows).toBe(2);
    release();
    await sink.flush();
    expect(sink.backlogRows).toBe(0);
  });
});
