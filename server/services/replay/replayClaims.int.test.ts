import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/replayHarness.js';
import { openStore, type StoreClients } from '../../store/clickhouse.js';
import { migrate } from '../../store/migrate.js';
import { queryRows } from '../../store/queryRows.js';
import { schemaFor } from '../../store/schema.js';
import { sql } from '../../store/sql.js';
import { createClickHouseClaims, itemKey, type ReplayClaims } from './replayClaims.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-claims-'));
let store: StoreClients;

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, silentLogger);
});

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('durable claims', () => {
  it('lets exactly one of 50 concurrent jobs claim an item; the others learn who holds it', async () => {
    const claims = createClickHouseClaims(store.query, schema, Date.now, 'server-a');
    const ref = { eventId: 'evt-race', target: 'erp' };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.claim(ref, `job-${i}`, 'key-race', `operator-${i}`)));
    const won = results.flatMap((r, i) => (r.ok ? [`job-${i}`] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.hold).toEqual({ kind: 'held', reason: 'in_progress', jobId: won[0] });
    const rows = await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('replayItemTransitions')} WHERE event_id = 'evt-race'`);
    expect(Number(rows[0]!.n)).toBe(1);

    expect(await claims.claim(ref, won[0]!, 'key-race', 'again')).toEqual({ ok: true, attempt: 1 });
    expect(Number((await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('replayItemTransitions')} WHERE event_id = 'evt-race'`))[0]!.n)).toBe(1);
  });

  it('counts attempts across jobs, frees an item the target refused, and holds one it applied', async () => {
    const claims = createClickHouseClaims(store.query, schema, Date.now, 'server-a');
    const ref = { eventId: 'evt-attempts', target: 'erp' };
    const base = { ref, idempotencyKey: 'key-a', actor: 'ana' };
    expect(await claims.claim(ref, 'job-a', 'key-a', 'ana')).toEqual({ ok: true, attempt: 1 });
    await claims.append({ ...base, jobId: 'job-a', state: 'sending', attempt: 1 });
    await claims.append({ ...base, jobId: 'job-a', state: 'refused', attempt: 1, httpStatus: 503, detail: 'busy' });
    await claims.append({ ...base, jobId: 'job-a', state: 'skipped', attempt: 0, detail: 'a note never changes the claim' });
    expect(await claims.claim(ref, 'job-b', 'key-a', 'ben')).toEqual({ ok: true, attempt: 2 });
    await claims.append({ ...base, jobId: 'job-b', state: 'sending', attempt: 2 });
    await claims.append({ ...base, jobId: 'job-b', state: 'applied', attempt: 2, httpStatus: 201 });

    const view = (await claims.current(['evt-attempts'])).get(itemKey(ref));
    expect(view).toMatchObject({ state: 'applied', jobId: 'job-b', attempt: 2, sends: 2, httpStatus: 201, recordedSeq: 0 });
    expect((await claims.unsettled()).map((v) => v.eventId)).toContain('evt-attempts');
    await claims.append({ ...base, jobId: 'job-b', state: 'recorded', attempt: 2 });
    expect((await claims.unsettled()).map((v) => v.eventId)).not.toContain('evt-attempts');
    expect(await claims.claim(ref, 'job-c', 'key-a', 'carl')).toEqual({ ok: false, hold: { kind: 'held', reason: 'already_applied', jobId: 'job-b' } });
  });

  it('orders the rows of a restarted process after the old ones even when its clock is behind', async () => {
    const ref = { eventId: 'evt-clock', target: 'erp' };
    const before = createClickHouseClaims(store.query, schema, Date.now, 'server-a');
    await before.claim(ref, 'job-1', 'k', 'ana');
    await before.append({ ref, jobId: 'job-1', state: 'sending', attempt: 1, idempotencyKey: 'k', actor: 'ana' });
    const behind = createClickHouseClaims(store.query, schema, () => Date.now() - 3_600_000, 'server-a');
    await behind.append({ ref, jobId: 'job-1', state: 'settled_not_applied', attempt: 1, idempotencyKey: 'k', actor: 'flowlens' });
    expect((await behind.current(['evt-clock'])).get(itemKey(ref))?.state).toBe('settled_not_applied');
  });

  it('several servers (each with its own lock) claiming one item at once: one claim is stored, and every loser names it', async () => {
    // Four claim stores stand for four servers: nothing in this process orders them, only the store does.
    const servers = ['s1', 's2', 's3', 's4'].map((s, i) => createClickHouseClaims(i % 2 === 0 ? store.query : store.ingest, schema, Date.now, s));
    for (let round = 0; round < 30; round++) {
      const ref = { eventId: `evt-servers-${round}`, target: 'erp' };
      const results = await Promise.all(servers.map((claims, i) => claims.claim(ref, `job-${round}-${i}`, 'k', 'ana')));
      const won = results.flatMap((r, i) => (r.ok ? [`job-${round}-${i}`] : []));
      expect(won, `round ${round}`).toHaveLength(1);
      for (const r of results) if (!r.ok) expect(r.hold.jobId).toBe(won[0]);
      expect(await nonNotes(ref.eventId)).toBe(1);
    }
  });

  it('moves a claim to sending once when two servers try at once (a job they both believe they run)', async () => {
    const [a, b] = [createClickHouseClaims(store.query, schema, Date.now, 'sa'), createClickHouseClaims(store.ingest, schema, Date.now, 'sb')] as [ReplayClaims, ReplayClaims];
    for (let round = 0; round < 20; round++) {
      const ref = { eventId: `evt-sending-${round}`, target: 'erp' };
      expect((await a.claim(ref, 'job-shared', 'k', 'ana')).ok).toBe(true);
      const toSending = (claims: ReplayClaims) =>
        claims.appendIf(ref, (v) => v?.state === 'claimed' && v.jobId === 'job-shared', () => ({ ref, jobId: 'job-shared', state: 'sending', attempt: 1, idempotencyKey: 'k', actor: 'ana' }));
      const [ra, rb] = await Promise.all([toSending(a), toSending(b)]);
      expect([ra, rb].filter((r) => r !== undefined), `round ${round}`).toHaveLength(1);
      expect((await a.current([ref.eventId])).get(itemKey(ref))).toMatchObject({ state: 'sending', instance: (ra ?? rb)!.instance });
    }
  });

  it('a release and a send racing for one claim: exactly one of them happens', async () => {
    const [runner, canceller] = [createClickHouseClaims(store.query, schema, Date.now, 'runner'), createClickHouseClaims(store.ingest, schema, Date.now, 'canceller')];
    const outcomes = { sent: 0, released: 0 };
    for (let round = 0; round < 20; round++) {
      const ref = { eventId: `evt-cancel-${round}`, target: 'erp' };
      await runner.claim(ref, 'job-c', 'k', 'ana');
      const move = (claims: ReplayClaims, state: 'sending' | 'cancelled') =>
        claims.appendIf(ref, (v) => v?.state === 'claimed' && v.jobId === 'job-c', () => ({ ref, jobId: 'job-c', state, attempt: 1, idempotencyKey: 'k', actor: 'ana' }));
      const [sent, released] = await Promise.all([move(runner, 'sending'), move(canceller, 'cancelled')]);
      expect(Number(sent !== undefined) + Number(released !== undefined), `round ${round}`).toBe(1);
      if (sent) outcomes.sent++;
      else outcomes.released++;
      expect((await runner.current([ref.eventId])).get(itemKey(ref))?.state).toBe(sent ? 'sending' : 'cancelled');
    }
    expect(outcomes.sent + outcomes.released).toBe(20);
  });
});

async function nonNotes(eventId: string): Promise<number> {
  const rows = await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('replayItemTransitions')} WHERE event_id = ${eventId} AND state NOT IN ('skipped', 'recorded')`);
  return Number(rows[0]!.n);
}
