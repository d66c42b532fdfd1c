import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplayStore, silentLogger, type ReplayStore } from '../../../test/support/replayHarness.js';
import { deadLetteredPosting, startErpTarget, type ErpTarget } from '../../../test/support/replayTarget.js';
import type { ReplayJobDetail, ReplayProgress } from '../../contracts/replayApi.js';
import { exceptionId } from '../../domain/exceptions.js';
import type { ActorOf } from '../../http/actor.js';
import { errorMiddleware } from '../../http/errorMiddleware.js';
import { replayRoutes } from '../../http/routes/replayRoutes.js';
import { queryRows } from '../../store/queryRows.js';
import { exceptionsBetween } from '../../store/queries/exceptions.js';
import { sql } from '../../store/sql.js';
import { createHttpDelivery } from './httpDelivery.js';
import type { Delivery } from './replayPorts.js';
import { createReplayService, type ReplayService } from './replayService.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-replay-'));
const MIN = 60_000;
/** Each test seeds its events in its own hour, well inside the 90 days a single event is looked for. */
const hour = (n: number) => Date.now() - (n + 2) * 3_600_000;
let rs: ReplayStore;
let target: ErpTarget;
let service: ReplayService;
let http: Server;
let base: string;
const progress: ReplayProgress[] = [];
/** The real HTTP delivery; a test may put a double in front of it (a fake only at the port). */
const real = createHttpDelivery();
let double: Partial<Delivery> = {};
/** The caller, as the app's auth middleware would name them; here each request says who it is in a header. */
const actorOf: ActorOf = (req) => req.header('x-test-actor') ?? 'nobody';
const delivery: Delivery = {
  deliver: (request, signal) => (double.deliver ?? real.deliver)(request, signal),
  lookup: (t, key, signal) => (double.lookup ?? real.lookup)(t, key, signal),
};

beforeAll(async () => {
  rs = await openReplayStore(dataDir);
  target = await startErpTarget();
  service = createReplayService({
    client: rs.store.query,
    schema: rs.schema,
    delivery,
    targets: [target.target],
    fourEyesFlows: ['order_to_cash', 'return_to_refund', 'settlement_to_ledger'],
    ingest: rs.ingest,
    logger: silentLogger,
    onProgress: (p) => progress.push(p),
    worker: { lookupDelaysMs: [20, 50], progressEveryMs: 50 },
  });
  await service.start();
  const app = express();
  app.use('/api/v1/replays', replayRoutes(service, actorOf));
  app.use(errorMiddleware(silentLogger));
  http = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1/replays`;
});

afterAll(async () => {
  await service?.stop();
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve));
  await target?.close();
  await rs?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function seed(events: Record<string, unknown>[]) {
  const outcome = await rs.ingest(events);
  expect(outcome.kind).toBe('stored');
  await rs.flush();
}

/** A request to the replay API acting as `actor`. */
async function call(method: 'GET' | 'POST', url: string, body?: unknown, actor = 'ana'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', 'x-test-actor': actor }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function settled(id: string, states = ['done', 'cancelled', 'failed']): Promise<ReplayJobDetail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await call('GET', `/${id}?limit=1000`)).body as unknown as ReplayJobDetail;
    if (states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state}: ${JSON.stringify(job.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const eventId = (e: Record<string, unknown>) => String(e.event_id);
const keyOf = (e: Record<string, unknown>) => String((e.payload as { idempotency_key: string }).idempotency_key);

async function storedCopies(id: string): Promise<number> {
  await rs.flush();
  const rows = await queryRows<{ n: string }>(rs.store.query, sql`SELECT count() AS n FROM ${rs.schema.table('events')} WHERE event_id = ${id}`);
  return Number(rows[0]!.n);
}

describe('replay through the API', () => {
  it('50 concurrent replays of one event deliver it once; the rest are told it is in progress or already replayed', async () => {
    const event = deadLetteredPosting('mv-concurrent', hour(1));
    await seed([event]);

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'ERP is back' }, `operator-${i}`)),
    );

    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 409);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(49);
    const job = accepted[0]!.body as { id: string; state: string };
    for (const r of refused) {
      const error = r.body.error as { code: string; message: string };
      expect(['in_progress', 'already_replayed']).toContain(error.code);
      expect(error.message).toContain(job.id);
    }
    const done = await settled(job.id);
    expect(done.state).toBe('done');
    expect(done.items).toEqual([expect.objectContaining({ event_id: eventId(event), state: 'applied', attempt: 1, http_status: 201, recorded: true, idempotency_key: keyOf(event) })]);
    expect(target.forwarded(keyOf(event))).toBe(1);
    expect(target.erp.isApplied(keyOf(event))).toBe(true);

    // Written back as a replay step: stored once, and the exception it answered is closed by it.
    expect(await storedCopies(`replay:erp:${eventId(event)}`)).toBe(1);
    const exceptions = await exceptionsBetween(rs.store.query, rs.schema, hour(1) - MIN, Date.now() + MIN, 1000);
    expect(exceptions.find((e) => e.correlation_id === 'mv-concurrent')?.recovered_at).toBeGreaterThan(0);

    const again = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'once more' }, 'operator-x');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_replayed' });
    expect(target.forwarded(keyOf(event))).toBe(1);
  });

  it('a dry run sends nothing and lists what would be skipped and why', async () => {
    const at = hour(2);
    const sendable = deadLetteredPosting('mv-dry-send', at);
    const replayed = deadLetteredPosting('mv-dry-done', at + 1_000);
    const { payload: _dropped, ...noPayload } = deadLetteredPosting('mv-dry-nopayload', at + 2_000);
    const otherTarget = { ...deadLetteredPosting('mv-dry-wms', at + 3_000), replay_target: 'wms' };
    const recovered = deadLetteredPosting('mv-dry-recovered', at + 4_000);
    const laterSuccess = { event_id: 'mv-dry-recovered:ok', correlation_id: 'mv-dry-recovered', flow: 'inventory_sync', step: 'erp.inventory.posted', system: 'erp', status: 'ok', occurred_at: at + 9_000 };
    await seed([sendable, replayed, noPayload, otherTarget, recovered, laterSuccess]);
    const first = await call('POST', '', { selection: { kind: 'event', event_id: eventId(replayed) }, reason: 'replayed before the dry run' }, 'ana');
    await settled(String(first.body.id));
    const postsBefore = target.posts();
    const appliedBefore = target.erp.applied();

    const dry = await call('POST', '/dry-run', { selection: { kind: 'filter', from: at - MIN, to: at + MIN, flow: 'inventory_sync' } });

    expect(dry.status).toBe(200);
    expect(target.posts()).toBe(postsBefore);
    expect(target.erp.applied()).toBe(appliedBefore);
    expect(dry.body).toMatchObject({ total: 5, send: 1, skipped: { no_payload: 1, no_target: 1, later_success: 1, already_applied: 1, in_progress: 0 }, approval_flows: [] });
    const items = dry.body.items as { event_id: string; action: string; skip: { reason: string; message: string } | null; request: Record<string, unknown> | null }[];
    const byId = new Map(items.map((i) => [i.event_id, i]));
    expect(byId.get(eventId(replayed))?.skip?.message).toContain(String(first.body.id));
    expect(byId.get(eventId(otherTarget))?.skip?.message).toContain('no replay target "wms"');
    const shown = byId.get(eventId(sendable))!;
    expect(shown.action).toBe('send');
    expect(shown.request).toMatchObject({ method: 'POST', url: target.target.url, body_format: 'json' });
    const headers = shown.request!.headers as { name: string; value: string }[];
    expect(headers).toContainEqual({ name: 'Idempotency-Key', value: keyOf(sendable), redacted: false });
    expect(headers).toContainEqual({ name: 'Authorization', value: '•••', redacted: true });
    expect(JSON.stringify(dry.body)).not.toContain('test-erp-secret');
    expect(JSON.parse(String(shown.request!.body))).toEqual(sendable.payload);
  });

  it('a finance flow is not sent until a second, different operator approves', async () => {
    const event = deadLetteredPosting('SO-4eyes', hour(3), 'order_to_cash', 'erp.invoice_posted');
    await seed([event]);

    const created = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'invoice lost in the outage' }, 'ana');
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ state: 'awaiting_approval', approval_flows: ['order_to_cash'], requested_by: 'ana' });
    const id = String(created.body.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.posts(keyOf(event))).toBe(0);

    const self = await call('POST', `/${id}/approve`, {}, 'Ana');
    expect(self.status).toBe(403);
    expect(self.body.error).toMatchObject({ code: 'same_approver' });
    // Naming someone else in the body does not make the creator a second operator.
    const posing = await call('POST', `/${id}/approve`, { actor: 'ben' }, 'ana');
    expect(posing.status).toBe(400);
    expect(posing.body.error).toMatchObject({ code: 'invalid_body', details: [{ field: 'actor', message: expect.stringContaining('is not taken') }] });
    expect((await call('GET', `/${id}`)).body).toMatchObject({ state: 'awaiting_approval', approved_by: null });
    expect(target.posts(keyOf(event))).toBe(0);

    const approved = await call('POST', `/${id}/approve`, { note: 'checked the invoice' }, 'ben');
    expect(approved.status).toBe(200);
    const done = await settled(id);
    expect(done).toMatchObject({ state: 'done', approved_by: 'ben', counts: { applied: 1 } });
    expect(target.forwarded(keyOf(event))).toBe(1);
    expect(done.history.map((h) => h.state)).toEqual(['awaiting_approval', 'queued', 'running', 'done']);
    expect(done.history.slice(0, 2).map((h) => [h.state, h.actor])).toEqual([
      ['awaiting_approval', 'ana'],
      ['queued', 'ben'],
    ]);
  });

  it('cancelling a job awaiting approval gives its event back to the next job', async () => {
    const event = deadLetteredPosting('RF-cancel', hour(8), 'return_to_refund', 'erp.credit_memo.posted');
    await seed([event]);
    const created = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'refund stuck' }, 'ana');
    expect(created.body).toMatchObject({ state: 'awaiting_approval', approval_flows: ['return_to_refund'] });
    const held = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'me too' }, 'carl');
    expect(held.status).toBe(409);
    expect(held.body.error).toMatchObject({ code: 'in_progress', message: expect.stringContaining(String(created.body.id)) });

    const cancelled = await call('POST', `/${String(created.body.id)}/cancel`, { note: 'wrong refund' }, 'ana');
    expect(cancelled.body).toMatchObject({ state: 'cancelled', counts: { cancelled: 1 } });
    const again = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'the right one' }, 'carl');
    expect(again.status).toBe(202);
    expect(target.posts(keyOf(event))).toBe(0);
    expect((await call('POST', `/${String(again.body.id)}/cancel`, {}, 'carl')).status).toBe(200);
  });

  it('cancel stops before the next item: untouched items are cancelled and nothing is sent after it returns', async () => {
    const at = hour(4);
    const events = Array.from({ length: 40 }, (_, i) => deadLetteredPosting(`mv-cancel-${String(i).padStart(2, '0')}`, at + i * 1_000));
    await seed(events);
    target.delayPosts(100);
    try {
      const created = await call('POST', '', { selection: { kind: 'filter', from: at - MIN, to: at + 2 * MIN, flow: 'inventory_sync' }, reason: 'bulk after the outage' }, 'ana');
      expect(created.body).toMatchObject({ state: 'queued', item_count: 40 });
      const id = String(created.body.id);
      await settled(id, ['running']);
      for (let applied = 0; applied < 3; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        applied = Number(((await call('GET', `/${id}`)).body.counts as Record<string, number>).applied ?? 0);
      }

      const cancelled = await call('POST', `/${id}/cancel`, { note: 'wrong range' }, 'ben');
      const postsAtCancel = target.posts();
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ state: 'cancelled', cancelled_by: 'ben' });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(target.posts()).toBe(postsAtCancel);

      const detail = await settled(id);
      const states = detail.items.map((i) => i.state);
      const applied = states.filter((s) => s === 'applied').length;
      expect(applied).toBeGreaterThanOrEqual(3);
      expect(applied).toBeLessThan(40);
      expect(states.filter((s) => s === 'cancelled').length).toBe(40 - applied);
      expect(target.forwarded()).toBeGreaterThanOrEqual(applied);
      expect(progress.some((p) => p.job_id === id && p.state === 'running' && (p.counts.applied ?? 0) > 0)).toBe(true);
      expect((await call('POST', `/${id}/cancel`, {}, 'ben')).body.error).toMatchObject({ code: 'not_cancellable' });
    } finally {
      target.delayPosts(0);
    }
  });
});

describe('outcomes a target leaves uncertain', () => {
  it('a lost answer is settled by the lookup, never by sending again', async () => {
    const event = deadLetteredPosting('mv-lost', hour(5));
    await seed([event]);
    double = {
      deliver: async (request) => {
        await real.deliver(request); // it reaches the ERP and is applied; the answer is lost on the way back
        return { kind: 'unknown', reason: 'socket hang up after the request was sent', ms: 3 };
      },
    };
    try {
      const created = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'lost answer' }, 'ana');
      const done = await settled(String(created.body.id));
      expect(done.items[0]).toMatchObject({ state: 'settled_applied', recorded: true });
      expect(target.forwarded(keyOf(event))).toBe(1);
      expect(await storedCopies(`replay:erp:${eventId(event)}`)).toBe(1);
    } finally {
      double = {};
    }
  });

  it('with no answer from the lookup the item waits for an operator; deciding "not applied" lets a new job send it', async () => {
    const event = deadLetteredPosting('mv-undecided', hour(6));
    await seed([event]);
    double = {
      deliver: async () => ({ kind: 'unknown', reason: 'timed out after sending', ms: 5_000 }),
      lookup: async () => ({ kind: 'unknown', reason: 'lookup answered 500' }),
    };
    let id: string;
    try {
      const created = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'timeouts' }, 'ana');
      id = String(created.body.id);
      const done = await settled(id);
      expect(done).toMatchObject({ state: 'done', needs_decision: 1 });
      expect(done.items[0]).toMatchObject({ state: 'unknown', detail: 'timed out after sending' });
    } finally {
      double = {};
    }
    const blocked = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'again' }, 'ana');
    expect(blocked.status).toBe(409);
    expect(blocked.body.error).toMatchObject({ code: 'in_progress' });

    const decided = await call('POST', `/${id}/decide`, { event_id: eventId(event), target: 'erp', outcome: 'not_applied', note: 'ERP support confirmed nothing arrived' }, 'ben');
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ needs_decision: 0 });
    const retried = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'after the decision' }, 'ana');
    expect(retried.status).toBe(202);
    const done = await settled(String(retried.body.id));
    expect(done.items[0]).toMatchObject({ state: 'applied', attempt: 2 });
    expect(target.forwarded(keyOf(event))).toBe(1);
  });

  it('a rejection is written back as a failed replay step with the target answer', async () => {
    const event = deadLetteredPosting('mv-rejected', hour(7));
    await seed([event]);
    target.answerWith(422);
    try {
      const exception = exceptionId('inventory_sync', 'mv-rejected', 'erp.inventory.posted');
      const created = await call('POST', '', { selection: { kind: 'exception', exception_id: exception }, reason: 'bad data' }, 'ana');
      expect(created.status).toBe(202);
      const done = await settled(String(created.body.id));
      expect(done.items[0]).toMatchObject({ event_id: eventId(event), state: 'rejected', http_status: 422, recorded: true });
      expect(done.items[0]!.detail).toContain('answered 422 by the test target');
    } finally {
      target.answerWith(undefined);
    }
    const rows = await queryRows<{ status: string; error_message: string; replay_of: string }>(
      rs.store.query,
      sql`SELECT toString(status) AS status, error_message, replay_of FROM ${rs.schema.table('events')} WHERE event_id = ${`replay:erp:${eventId(event)}:rejected:1`}`,
    );
    expect(rows).toEqual([expect.objectContaining({ status: 'failed', replay_of: eventId(event) })]);
    expect(rows[0]!.error_message).toContain('replay rejected by erp');
  });

  it('refuses bad selections naming the field, unknown events with 404, and more than 10,000 events with 400', async () => {
    const far = await call('POST', '/dry-run', { selection: { kind: 'filter', from: hour(900), to: hour(1) } });
    expect(far.status).toBe(400);
    expect(far.body.error).toMatchObject({ details: [{ field: 'selection.from', message: expect.stringContaining('31 days') }] });
    const noKind = await call('POST', '/dry-run', { selection: { event_id: 'x' } });
    expect(noKind.status).toBe(400);
    expect(JSON.stringify(noKind.body)).toContain('selection.kind must be event, exception or filter');
    const namesActor = await call('POST', '', { selection: { kind: 'event', event_id: 'nope' }, reason: 'x', actor: 'ana' });
    expect(namesActor.status).toBe(400);
    expect(namesActor.body.error).toMatchObject({ code: 'invalid_body', message: expect.stringMatching(/^actor: is not taken/), details: [{ field: 'actor', message: expect.stringContaining('is not taken') }] });
    const missing = await call('POST', '', { selection: { kind: 'event', event_id: 'nope' }, reason: 'x' }, 'ana');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'event_not_found' });
    const at = hour(9);
    await seed(Array.from({ length: 10_001 }, (_, i) => ({ event_id: `bulk-${i}`, correlation_id: `bulk-${i}`, flow: 'transfer', step: 'wms.transfer.shipped', system: 'wms', status: 'failed', occurred_at: at + i, replay_target: 'erp' })));
    const tooMany = await call('POST', '/dry-run', { selection: { kind: 'filter', from: at, to: at + MIN, flow: 'transfer' } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'too_many_items', message: expect.stringContaining('more than 10,000 events; narrow the time range') });
    const fewer = await call('POST', '/dry-run', { selection: { kind: 'filter', from: at, to: at + 5_000, flow: 'transfer' }, limit: 3 });
    expect(fewer.body).toMatchObject({ total: 5_000, send: 0, skipped: { no_payload: 5_000 } });
    expect((fewer.body.items as unknown[]).length).toBe(3);
  });

  it('lists the queue and history newest first, by state when asked', async () => {
    const event = deadLetteredPosting('mv-listed', hour(10));
    await seed([event]);
    const created = await call('POST', '', { selection: { kind: 'event', event_id: eventId(event) }, reason: 'listed' }, 'ana');
    await settled(String(created.body.id));

    const list = await call('GET', '?limit=2');
    expect(list.status).toBe(200);
    const jobs = list.body.jobs as { id: string; created_at: number; state: string }[];
    expect(jobs[0]!.id).toBe(created.body.id);
    expect(jobs.length).toBe(Math.min(2, Number(list.body.total)));
    if (jobs.length === 2) expect(jobs[0]!.created_at).toBeGreaterThanOrEqual(jobs[1]!.created_at);
    const done = await call('GET', '?state=done,failed&limit=200');
    expect((done.body.jobs as { state: string }[]).every((j) => j.state === 'done' || j.state === 'failed')).toBe(true);
    expect((await call('GET', '?state=finished')).body.error).toMatchObject({ code: 'invalid_query' });
  });

  it('tells a malformed job id (400, naming the id) from a job that does not exist (404)', async () => {
    for (const [method, url] of [['GET', '/not-a-job'], ['POST', '/rpl-XYZ/approve'], ['POST', '/rpl-0123/cancel']] as const) {
      const answer = await call(method, url, method === 'POST' ? {} : undefined, 'omar');
      expect(answer.status, url).toBe(400);
      expect(answer.body.error, url).toMatchObject({ code: 'invalid_id', details: [{ field: 'id', message: expect.stringContaining('rpl-') }] });
    }
    const missing = await call('GET', `/rpl-${'0'.repeat(20)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'job_not_found' });
  });
});
