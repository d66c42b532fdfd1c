import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplayStore, silentLogger, type ReplayStore } from '../../../test/support/replayHarness.js';
import { deadLetteredPosting, startErpTarget, type ErpTarget } from '../../../test/support/replayTarget.js';
import type { ReplayJobDetail } from '../../contracts/replayApi.js';
import { queryRows } from '../../store/queryRows.js';
import { sql } from '../../store/sql.js';
import { createHttpDelivery } from './httpDelivery.js';
import { createJobLeases, type JobLeases } from './jobLeases.js';
import type { ReplayPausePoint } from './replayEngine.js';
import { createReplayService, type ReplayService } from './replayService.js';

/**
 * Several servers replaying from one store (issue 8). Each service below is a server: its own instance name,
 * its own in-process locks, its own engine connection; only the store is shared, as between processes. (The
 * embedded engine binds its folder to one process, so the servers share one process here.)
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-replay-servers-'));
const LEASE_MS = 2_500;
let rs: ReplayStore;
let target: ErpTarget;
const started: ReplayService[] = [];

beforeAll(async () => {
  rs = await openReplayStore(dataDir);
  target = await startErpTarget();
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await target?.close();
  await rs?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type ServerOptions = { leases?: (real: JobLeases) => JobLeases; pause?: (point: ReplayPausePoint, eventId: string) => Promise<void> };

async function server(instance: string, options: ServerOptions = {}): Promise<ReplayService> {
  const client = started.length % 2 === 0 ? rs.store.query : rs.store.ingest;
  const real = createJobLeases(client, rs.schema, { instance, leaseMs: LEASE_MS, clock: Date.now });
  const service = createReplayService({
    client,
    schema: rs.schema,
    instance,
    leases: options.leases?.(real) ?? real,
    delivery: createHttpDelivery(),
    targets: [target.target],
    fourEyesFlows: [],
    ingest: rs.ingest,
    logger: silentLogger,
    worker: { lookupDelaysMs: [20, 50], progressEveryMs: 50, leaseMs: LEASE_MS },
    crashTestPause: options.pause === undefined ? undefined : (point, ref) => options.pause!(point, ref.eventId),
  });
  await service.start();
  started.push(service);
  return service;
}

/** `n` dead-lettered ERP postings in their own hour; returns the selection of them and their idempotency keys. */
async function seed(name: string, hoursAgo: number, n: number) {
  const at = Date.now() - hoursAgo * 3_600_000;
  const events = Array.from({ length: n }, (_, i) => deadLetteredPosting(`${name}-${String(i).padStart(3, '0')}`, at + i * 1_000));
  expect((await rs.ingest(events)).kind).toBe('stored');
  await rs.flush();
  return {
    events,
    keys: events.map((e) => String((e.payload as { idempotency_key: string }).idempotency_key)),
    selection: { kind: 'filter' as const, from: at - 60_000, to: at + n * 1_000 + 60_000, flow: 'inventory_sync' },
  };
}

async function settled(service: ReplayService, id: string, timeoutMs = 30_000): Promise<ReplayJobDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await service.get(id, { limit: 1_000, offset: 0 });
    if (['done', 'cancelled', 'failed'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state}: ${JSON.stringify(job.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function leaseRows(jobId: string): Promise<{ term: number; instance: string; action: string }[]> {
  const rows = await queryRows<{ term: string; instance: string; action: string }>(
    rs.store.query,
    sql`SELECT term, instance, toString(action) AS action FROM ${rs.schema.table('replayJobLeases')} WHERE job_id = ${jobId} ORDER BY term, at`,
  );
  return rows.map((r) => ({ term: Number(r.term), instance: r.instance, action: r.action }));
}

const never = new Promise<void>(() => {});

describe('replay with several servers on one store', () => {
  it('six servers taking one job lease at once: exactly one gets it; it passes on after a release or an expiry', async () => {
    const leases = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].map((instance, i) => createJobLeases(i % 2 === 0 ? rs.store.query : rs.store.ingest, rs.schema, { instance, leaseMs: 400, clock: Date.now }));
    for (let round = 0; round < 10; round++) {
      const job = `rpl-lease-${round}`;
      const taken = await Promise.all(leases.map((l) => l.take(job)));
      const holders = taken.flatMap((t, i) => (t.ok ? [i] : []));
      expect(holders, `round ${round}`).toHaveLength(1);
      const holder = leases[holders[0]!]!;
      for (const t of taken) if (!t.ok) expect(t.holder).toBe(holder.instance);
      const other = leases[(holders[0]! + 1) % leases.length]!;
      expect(await other.renew(job, 1)).toBe(false);
      expect(await holder.renew(job, 1)).toBe(true);
      expect([...(await other.heldElsewhere([job]))]).toEqual([job]);
      expect([...(await holder.heldElsewhere([job]))]).toEqual([]);
      if (round % 2 === 0) {
        await holder.release(job, 1);
        expect(await other.take(job)).toEqual({ ok: true, term: 2, takeover: false });
      } else {
        await new Promise((resolve) => setTimeout(resolve, 450));
        expect(await other.take(job)).toEqual({ ok: true, term: 2, takeover: true });
        expect(await holder.renew(job, 1)).toBe(false);
      }
    }
  });

  it('two servers running: a 40-item job is run by one of them, and every item reaches the target exactly once', async () => {
    const [a, b] = [await server('server-a'), await server('server-b')];
    const { keys, selection } = await seed('ms-bulk', 3, 40);
    const created = await a.create(selection, 'ERP is back', 'ana');
    const done = await settled(b, created.id);
    expect(done).toMatchObject({ state: 'done', counts: expect.objectContaining({ applied: 40 }) });
    for (const key of keys) expect(target.forwarded(key), key).toBe(1);
    const terms = await leaseRows(created.id);
    expect(new Set(terms.map((t) => t.instance)).size).toBe(1);
    expect(terms.at(-1)?.action).toBe('release');
  });

  it('a server that freezes mid-job (stops renewing, holds a send): another takes the job over, settles that send by lookup, and finishes; nothing is sent twice', async () => {
    const { keys, events, selection } = await seed('ms-freeze', 4, 12);
    let frozen = false;
    let thaw!: () => void;
    const thawed = new Promise<void>((resolve) => (thaw = resolve));
    const frozenAt = String(events[5]!.event_id);
    // The freezing server: its lease renewals hang from the moment it freezes, and it stops right before sending the 6th item.
    const a = await server('server-freezes', {
      leases: (real) => ({ ...real, renew: (job, term) => (frozen ? never.then(() => false) : real.renew(job, term)) }),
      pause: async (point, eventId) => {
        if (point !== 'before_send' || eventId !== frozenAt) return;
        frozen = true;
        await thawed;
      },
    });
    const created = await a.create(selection, 'ERP is back', 'ana');
    try {
      await until('the server to freeze', () => frozen);
      expect(keys.slice(0, 5).map((k) => target.forwarded(k))).toEqual([1, 1, 1, 1, 1]);

      const b = await server('server-takes-over');
      const done = await settled(b, created.id);
      expect(done.state).toBe('done');
      for (const key of keys) expect(target.forwarded(key), key).toBe(1);
      const item = done.items.find((i) => i.event_id === frozenAt);
      expect(item).toMatchObject({ state: 'applied', attempt: 2 });
      const terms = await leaseRows(created.id);
      // Taken over by a server still running (the one started for it, or one from an earlier test).
      const takes = terms.filter((t) => t.action === 'take');
      // (On a busy machine a slow renewal may hand it on once more: every later term is another server's.)
      expect(takes.map((t) => t.term)).toEqual(takes.map((_, i) => i + 1));
      expect(takes[0]!.instance).toBe('server-freezes');
      expect(takes.slice(1).every((t) => t.instance !== 'server-freezes')).toBe(true);

      // The frozen server wakes up long after its lease: it must not send what it was about to.
      const posts = target.posts();
      thaw();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(target.posts()).toBe(posts);
      expect(target.forwarded(keys[5]!)).toBe(1);
    } finally {
      thaw();
    }
  });

  it('a cancel made on another server stops the job before its next item', async () => {
    const { keys, selection } = await seed('ms-cancel', 5, 30);
    target.delayPosts(100);
    try {
      const a = await server('server-runs');
      const b = await server('server-cancels');
      const created = await a.create(selection, 'ERP is back', 'ana');
      await until('three items applied', () => keys.filter((k) => target.forwarded(k) > 0).length >= 3);
      await b.cancel(created.id, 'omar', 'wrong selection');
      const atCancel = target.posts();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // At most the item whose send had begun when the cancel was stored reaches the target after it.
      expect(target.posts() - atCancel).toBeLessThanOrEqual(1);
      const job = await a.get(created.id, { limit: 1_000, offset: 0 });
      expect(job.state).toBe('cancelled');
      const sent = keys.filter((k) => target.forwarded(k) > 0).length;
      expect(sent).toBeLessThan(30);
      for (const key of keys) expect(target.forwarded(key)).toBeLessThanOrEqual(1);
      expect(job.counts.applied).toBe(sent);
    } finally {
      target.delayPosts(0);
    }
  });

  it("a server starting while another runs a job leaves that job's half-done send alone", async () => {
    const { keys, events, selection } = await seed('ms-restart', 6, 4);
    const heldAt = String(events[1]!.event_id);
    let holding = false;
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const a = await server('server-busy', {
      pause: async (point, eventId) => {
        if (point !== 'before_send' || eventId !== heldAt) return;
        holding = true;
        await resumed;
      },
    });
    const created = await a.create(selection, 'ERP is back', 'ana');
    try {
      await until('the send to be under way', () => holding);
      const c = await server('server-starting');
      // Its start-up recovery found a `sending` item, but the job's lease is live elsewhere: no lookup, no settling.
      const item = (await c.get(created.id, { limit: 1_000, offset: 0 })).items.find((i) => i.event_id === heldAt);
      expect(item?.state).toBe('sending');
    } finally {
      resume();
    }
    const done = await settled(a, created.id);
    expect(done).toMatchObject({ state: 'done', counts: expect.objectContaining({ applied: 4 }) });
    for (const key of keys) expect(target.forwarded(key)).toBe(1);
  });
});
