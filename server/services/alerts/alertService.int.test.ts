import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/loadCatalog.js';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { alertIdOf } from '../../domain/alerts.js';
import { openStore, type StoreClients } from '../../store/clickhouse.js';
import { toEventRow } from '../../store/eventRows.js';
import { migrate } from '../../store/migrate.js';
import { notificationsOfAlert } from '../../store/queries/alerts.js';
import { schemaFor } from '../../store/schema.js';
import { toClickHouseTime } from '../../store/sql.js';
import { createSlaService } from '../slaService.js';
import { createAlertService, type AlertChange, type AlertService } from './alertService.js';
import { storeNotificationClaims } from './notificationClaims.js';
import { createSender } from './notifiers/sender.js';

/**
 * The alert lifecycle end to end on the real engine: refunds that miss the ledger break `refund-ledger`, the
 * alert fires, each receiver — real HTTP servers on 127.0.0.1 — hears of it once, it is acknowledged, the
 * journals arrive and it resolves; two servers on one store notify once; a failing receiver is retried; a mute
 * holds notifications back until it ends.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-alerting-'));
const dashboards = mkdtempSync(path.join(tmpdir(), 'flowlens-alert-catalog-'));
const MIN = 60_000;
let now = Date.parse('2026-11-27T10:00:00Z');
const clock = () => now;
let store: StoreClients;

type Received = { body: Record<string, unknown>; headers: Record<string, string | string[] | undefined> };
type Receiver = { url: string; requests: Received[]; answers: number[]; server: Server };

/** A receiver answering `answers` in turn (then its default) and keeping every request. */
async function receiver(defaultStatus: number, body: string): Promise<Receiver> {
  const r: Receiver = { url: '', requests: [], answers: [], server: createServer() };
  r.server.on('request', (req, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      r.requests.push({ body: JSON.parse(text) as Record<string, unknown>, headers: req.headers });
      res.writeHead(r.answers.shift() ?? defaultStatus, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
  return r;
}

let hook: Receiver;
let slack: Receiver;
let pd: Receiver;
let a: AlertService;
let b: AlertService;
const changes: AlertChange[] = [];
const DEDUP = 'flowlens/refund-stuck/refund-ledger';
const ID = alertIdOf(DEDUP);

let sequence = 0;
/** Refund events `minutesAgo` before now; a journal makes the refund reach the ledger. */
async function refunds(events: [refund: string, step: 'payment.refund.created' | 'erp.journal.posted', minutesAgo: number][]): Promise<void> {
  const values = events.map(([refund, step, ago]) => {
    const result = validateEvent({ event_id: `${refund}:${step}`, correlation_id: `rtr-${refund}`, flow: 'return_to_refund', step, system: step === 'erp.journal.posted' ? 'erp' : 'stripe', occurred_at: now - ago * MIN, keys: { refund_id: refund } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, toClickHouseTime(now));
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: `test-events-${++sequence}` } });
}

const actions = (r: Receiver) => r.requests.map((q) => String(q.body.event_action ?? q.body.action ?? (q.body.text as string).split(' ')[1]));
const clear = () => [hook, slack, pd].forEach((r) => (r.requests.length = 0));

beforeAll(async () => {
  [hook, slack, pd] = await Promise.all([receiver(200, '{}'), receiver(200, 'ok'), receiver(202, '{"status":"success","message":"Event processed"}')]);
  for (const part of ['flows', 'slas', 'owners.yaml']) cpSync(path.join(repo, 'dashboards', part), path.join(dashboards, part), { recursive: true });
  mkdirSync(path.join(dashboards, 'alerts'));
  writeFileSync(
    path.join(dashboards, 'alerts', 'rules.yaml'),
    'schemaVersion: 1\nrules:\n  - { id: refund-stuck, name: Refunds stuck, policies: [refund-ledger], condition: deadline, threshold: 1 }\n',
  );
  writeFileSync(
    path.join(dashboards, 'alerts', 'routes.yaml'),
    [
      'schemaVersion: 1',
      'receivers:',
      '  - { id: log, type: webhook, url: "${TEST_HOOK_URL}/hook", headers: { Authorization: "Bearer ${TEST_HOOK_TOKEN}" } }',
      '  - { id: chat, type: slack, url: "${TEST_SLACK_URL}/services/T/B/X" }',
      '  - { id: oncall, type: pagerduty, routingKey: "${TEST_PD_KEY}", eventsUrl: "${TEST_PD_URL}/v2/enqueue" }',
      'routes:',
      '  - { name: everything, receivers: [log, chat, oncall] }',
    ].join('\n'),
  );
  const catalog = loadCatalog(dashboards, { env: { TEST_HOOK_URL: hook.url, TEST_HOOK_TOKEN: 's3cret', TEST_SLACK_URL: slack.url, TEST_PD_KEY: 'R0UT1NG', TEST_PD_URL: pd.url } });
  expect(catalog.alerts.unconfigured).toEqual([]);

  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  const sla = createSlaService(store.query, schema, catalog, { maxAgeMs: 0 }, clock);
  const service = (instance: string) =>
    createAlertService({
      client: store.query,
      schema,
      alerts: catalog.alerts,
      slaStatus: () => sla.status(),
      publicUrl: 'http://flowlens.test:8080',
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      deliver: createSender({ backoffMs: 20, timeoutMs: 2_000, clock }),
      onChange: (change) => changes.push(change),
      instance,
      clock,
    });
  a = service('server-a');
  b = service('server-b');
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await store.close();
  for (const r of [hook, slack, pd]) {
    r.server.closeAllConnections();
    r.server.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dashboards, { recursive: true, force: true });
});

describe('an SLA alert, end to end', () => {
  it('fires when refunds miss the ledger and tells each receiver once', async () => {
    await refunds([['re_1', 'payment.refund.created', 10], ['re_2', 'payment.refund.created', 9], ['re_ok', 'payment.refund.created', 8], ['re_ok', 'erp.journal.posted', 7]]);
    const report = await a.tick();

    expect(report).toMatchObject({ transitions: 1, delivered: 3, failed: 0 });
    expect([actions(hook), actions(slack), actions(pd)]).toEqual([['trigger'], ['Firing'], ['trigger']]);
    expect(pd.requests[0]!.body).toMatchObject({ routing_key: 'R0UT1NG', dedup_key: DEDUP, payload: { severity: 'critical', source: 'flowlens.test:8080', custom_details: { open_past_deadline: 2 } } });
    expect(hook.requests[0]!.headers).toMatchObject({ authorization: 'Bearer s3cret', 'idempotency-key': `${ID}/1/trigger/log` });
    const link = 'http://flowlens.test:8080/?view=slas&policy=refund-ledger&range=1h&outcome=open_breached';
    expect(hook.requests[0]!.body).toMatchObject({ link, alert: { id: ID, state: 'firing', summary: expect.stringContaining('2 open past the 2m deadline') } });
    expect(String(slack.requests[0]!.body.text)).toContain(`<${link}|Refunds in the ledger within 2 min>`);
    expect(changes.at(-1)).toMatchObject({ reason: 'evaluation', alert_ids: [ID] });

    const list = await a.list({ states: ['firing'], lookbackMs: 86_400_000, limit: 50, offset: 0 });
    expect(list.alerts.map((x) => [x.id, x.state, x.severity, x.owner])).toEqual([[ID, 'firing', 'critical', 'finance']]);
  });

  it('sends nothing new on the next evaluation', async () => {
    clear();
    now += MIN;
    expect(await a.tick()).toMatchObject({ transitions: 0, delivered: 0 });
    expect([hook, slack, pd].map((r) => r.requests.length)).toEqual([0, 0, 0]);
  });

  it('tells PagerDuty when someone acknowledges it, by the same dedup key', async () => {
    const acked = await a.acknowledge(ID, 'alice', 'replaying the credit memos');
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'alice', note: 'replaying the credit memos' } });
    await expect(a.acknowledge(ID, 'bob', '')).rejects.toMatchObject({ status: 409, message: `cannot acknowledge alert ${ID}: already acknowledged by alice` });

    await a.tick();
    expect(pd.requests.map((r) => [r.body.event_action, r.body.dedup_key])).toEqual([['acknowledge', DEDUP]]);
    expect(pd.requests[0]!.body).not.toHaveProperty('payload');
    expect(actions(hook)).toEqual(['acknowledge']);
  });

  it('resolves once the journals arrive, and says so once', async () => {
    clear();
    now += MIN;
    await refunds([['re_1', 'erp.journal.posted', 0], ['re_2', 'erp.journal.posted', 0]]);
    expect(await a.tick()).toMatchObject({ transitions: 1, delivered: 3 });
    expect(await a.tick()).toMatchObject({ transitions: 0, delivered: 0 });

    expect([actions(hook), actions(pd)]).toEqual([['resolve'], ['resolve']]);
    expect(pd.requests[0]!.body).toEqual({ routing_key: 'R0UT1NG', event_action: 'resolve', dedup_key: DEDUP, links: [expect.objectContaining({ href: expect.any(String) })] });
    const detail = await a.get(ID);
    expect(detail.alert).toMatchObject({ state: 'resolved', resolved: { by: 'flowlens', note: 'condition cleared' } });
    expect(detail.transitions.map((t) => [t.state, t.actor])).toEqual([['firing', 'flowlens'], ['acknowledged', 'alice'], ['resolved', 'flowlens']]);
    expect(detail.notifications.filter((n) => n.status === 'delivered').map((n) => n.notification_id).sort()).toEqual(
      ['trigger', 'acknowledge', 'resolve'].flatMap((action) => ['chat', 'log', 'oncall'].map((r) => `${ID}/1/${action}/${r}`)).sort(),
    );
  });

  it('notifies once when two servers on the same store evaluate at the same moment', async () => {
    clear();
    now += MIN;
    await refunds([['re_3', 'payment.refund.created', 5]]);
    const reports = await Promise.all([a.tick(), b.tick()]);

    expect(reports.map((r) => r.delivered).reduce((x, y) => x + y)).toBe(3);
    expect([actions(hook), actions(slack), actions(pd)]).toEqual([['trigger'], ['Firing'], ['trigger']]);
    expect(hook.requests[0]!.headers['idempotency-key']).toBe(`${ID}/2/trigger/log`);
    await Promise.all([a.tick(), b.tick()]);
    expect([hook, slack, pd].map((r) => r.requests.length)).toEqual([1, 1, 1]);
  });

  it('gives a notification to exactly one of two claimants asking at once, on any connection to the store', async () => {
    const request = { notification_id: `${ID}/2/renotify-1/log`, alert_id: ID, episode: 2, receiver: 'log', action: 'renotify' as const, now };
    const claims = await Promise.all([
      storeNotificationClaims(store.query, schema).claim({ ...request, instance: 'server-a' }),
      storeNotificationClaims(store.ingest, schema).claim({ ...request, instance: 'server-b' }),
    ]);
    expect(claims.filter((c) => c.claimed)).toEqual([{ claimed: true, attempt: 1 }]);
    expect(claims.filter((c) => !c.claimed)).toEqual([{ claimed: false, reason: 'in_flight' }]);
  });

  it('gives each notification to exactly one of four servers that share no lock, only the store', async () => {
    // Four servers: each its own in-process lock (as separate processes have), on two connections to one store.
    // Before the store decided (a claim compared by when it was stamped), about 1 in 75 went to two servers.
    const servers = ['server-a', 'server-b', 'server-c', 'server-d'].map((instance, i) => ({ instance, claims: storeNotificationClaims(i % 2 === 0 ? store.query : store.ingest, schema, { lockKey: instance }) }));
    const ids = Array.from({ length: 120 }, (_, i) => `${ID}/2/renotify-${10 + i}/log`);
    const rounds = await Promise.all(
      ids.map(async (notification_id) => {
        const request = { notification_id, alert_id: ID, episode: 2, receiver: 'log', action: 'renotify' as const, now };
        return Promise.all(servers.map((server) => server.claims.claim({ ...request, instance: server.instance })));
      }),
    );
    expect(rounds.map((claims) => claims.filter((c) => c.claimed).length)).toEqual(ids.map(() => 1));
    expect(rounds.flat().filter((c) => !c.claimed)).toEqual(ids.flatMap(() => servers.slice(1).map(() => ({ claimed: false, reason: 'in_flight' }))));
  });

  it('retries a receiver that answers 500, delivers once and records both attempts', async () => {
    clear();
    now += MIN;
    hook.answers.push(500);
    await refunds([['re_3', 'erp.journal.posted', 0]]);
    await Promise.all([a.tick(), b.tick()]);

    expect(hook.requests.map((r) => [r.body.action, r.headers['idempotency-key']])).toEqual([
      ['resolve', `${ID}/2/resolve/log`],
      ['resolve', `${ID}/2/resolve/log`],
    ]);
    const record = (await notificationsOfAlert(store.query, schema, ID, 0)).filter((n) => n.notification_id === `${ID}/2/resolve/log`);
    expect(record.map((n) => [n.status, n.attempt, n.response.slice(0, 3)])).toEqual([
      ['claimed', 1, ''],
      ['retrying', 1, '500'],
      ['delivered', 2, '200'],
    ]);
    await a.tick();
    expect(hook.requests).toHaveLength(2);
  });

  it('holds notifications back while a mute lasts and sends them when it ends', async () => {
    clear();
    now += MIN;
    const mute = await a.mute({ policy: 'refund-ledger' }, now + 10 * MIN, 'carol', 'ERP maintenance window');
    expect(mute).toMatchObject({ active: true, created_by: 'carol', reason: 'ERP maintenance window' });
    await refunds([['re_4', 'payment.refund.created', 5]]);

    expect(await a.tick()).toMatchObject({ transitions: 1, delivered: 0, suppressed: 3 });
    expect([hook, slack, pd].map((r) => r.requests.length)).toEqual([0, 0, 0]);
    const muted = await a.list({ states: ['muted'], lookbackMs: 86_400_000, limit: 10, offset: 0 });
    expect(muted.alerts.map((x) => [x.id, x.state, x.muted_by.map((m) => m.id)])).toEqual([[ID, 'firing', [mute.id]]]);

    now += 5 * MIN;
    expect(await a.tick()).toMatchObject({ delivered: 0 });
    now += 5 * MIN;
    expect(await a.tick()).toMatchObject({ delivered: 3 });
    expect([actions(hook), actions(pd)]).toEqual([['trigger'], ['trigger']]);
    const record = await notificationsOfAlert(store.query, schema, ID, 0);
    expect(record.filter((n) => n.notification_id === `${ID}/3/trigger/oncall`).map((n) => n.status)).toEqual(['suppressed', 'claimed', 'delivered']);
  });

  it('calls off a mute still to come, and refuses to end one that is over', async () => {
    const later = await a.mute({ policy: 'order-invoiced' }, now + 120 * MIN, 'dan', 'ERP upgrade tonight', now + 60 * MIN);
    expect(later.active).toBe(false);
    expect(await a.unmute(later.id, 'erin')).toMatchObject({ id: later.id, active: false });
    await expect(a.unmute(later.id, 'erin')).rejects.toMatchObject({ status: 409, code: 'mute_state' });
  });
});
