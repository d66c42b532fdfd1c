import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFingerprint } from '../../server/auth/apiTokens.js';
import { auditPageSchema } from '../../server/contracts/accessApi.js';
import { startErpServer, type ErpServer } from '../../server/simulator/erp/erpServer.js';
import { TEST_PASSWORD, TEST_TOKENS } from '../support/access.js';
import { signIn } from '../support/accessProbe.js';
import { freePort } from '../support/childServer.js';
import { replayRecentEstate, startEstateServer, type EstateServer } from '../support/simulatedEstate.js';

/**
 * On-call's journey of issue 7, end to end on a real Flowlens fed by the simulator's `erp-outage`: stock
 * movements the ERP refused past their deadline fire an alert, each receiver (a webhook, Slack, PagerDuty — real
 * HTTP servers on 127.0.0.1) hears it once; on-call acknowledges it (PagerDuty hears that once), replays the
 * dead-lettered postings to the ERP once it is back (each applied exactly once), and the alert resolves, the
 * resolve heard once by each receiver. On-call is olga, signed in: the alert, the job and the audit trail name her.
 */

type Heard = { path: string; body: Record<string, unknown> };
type Receiver = { url: string; heard: Heard[]; close(): Promise<void> };

async function startReceiver(status: number): Promise<Receiver> {
  const heard: Heard[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      heard.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, heard, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const RULES = `schemaVersion: 1
rules:
  - id: stock-not-posted
    name: Stock movements not posted in the ERP
    description: A movement is open past the inventory-erp-posted deadline.
    policies: [inventory-erp-posted]
    condition: deadline
    outcomes: open_breached
    threshold: 1
    for: 1s
`;
const ROUTES = `schemaVersion: 1
receivers:
  - id: log
    type: webhook
    url: '\${TEST_WEBHOOK_URL}'
  - id: chat
    type: slack
    url: '\${TEST_SLACK_URL}'
  - id: pager
    type: pagerduty
    routingKey: '\${TEST_PD_KEY}'
    eventsUrl: '\${TEST_PD_URL}'
routes:
  - name: Everything to every receiver
    receivers: [log, chat, pager]
`;

let server: EstateServer;
let dashboards: string;
let webhook: Receiver;
let slack: Receiver;
let pagerduty: Receiver;
let erp: ErpServer | undefined;
let erpPort: number;
let deadLettered: number;
/** olga's session cookie (an operator). */
let onCall: string;

/** A request as olga, signed in. */
const api = async <T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: body === undefined ? { cookie: onCall } : { cookie: onCall, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
};
type AlertList = { alerts: { id: string; state: string; dedup_key?: string; rule: string }[] };
const alertsIn = async (state: string) => (await api<AlertList>('GET', `/api/v1/alerts?state=${state}`)).body.alerts;
async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
/** The audit trail's rows for an action, as an admin reads them, once `expected` of them are written (within ~1 s). */
const auditRows = (action: string, expected: number) =>
  until(`${expected} audit rows of ${action}`, async () => {
    const response = await server.api(`/api/v1/audit?action=${action}`, {}, 'admin');
    const { rows } = auditPageSchema.parse(await response.json());
    return rows.length >= expected ? rows : undefined;
  }, 5_000);

beforeAll(async () => {
  [webhook, slack, pagerduty] = await Promise.all([startReceiver(200), startReceiver(200), startReceiver(202)]);
  dashboards = mkdtempSync(path.join(tmpdir(), 'flowlens-alert-dashboards-'));
  cpSync(path.resolve('dashboards'), dashboards, { recursive: true });
  writeFileSync(path.join(dashboards, 'alerts', 'rules.yaml'), RULES);
  writeFileSync(path.join(dashboards, 'alerts', 'routes.yaml'), ROUTES);
  erpPort = await freePort();
  const erpUrl = `http://127.0.0.1:${erpPort}/erp/v1`;
  server = await startEstateServer({
    env: {
      FLOWLENS_DASHBOARDS_DIR: dashboards,
      FLOWLENS_ALERT_EVAL_INTERVAL_MS: '1000',
      FLOWLENS_REPLAY_TARGETS: JSON.stringify({ erp: { url: `${erpUrl}/postings`, lookupUrl: `${erpUrl}/postings/{idempotency_key}`, ratePerSecond: 50 } }),
      TEST_WEBHOOK_URL: webhook.url,
      TEST_SLACK_URL: slack.url,
      TEST_PD_KEY: 'R0UT1NGKEY',
      TEST_PD_URL: pagerduty.url,
    },
  });
  onCall = await signIn(server.baseUrl, 'olga', TEST_PASSWORD);
  // Two minutes of the estate with the ERP down for the middle half: postings retry, then dead-letter.
  const result = await replayRecentEstate(server, { scenarios: ['erp-outage'], seed: '11', rate: 16, durationMs: 120_000, keepSteps: true, erpPort });
  deadLettered = result.truth!.openExceptions.filter((e) => e.last_status === 'dead_lettered' && e.flow === 'inventory_sync').length;
  if (deadLettered === 0) throw new Error('the erp-outage run dead-lettered no stock movement');
}, 240_000);

afterAll(async () => {
  await server?.close();
  await erp?.close();
  await Promise.all([webhook, slack, pagerduty].map((r) => r?.close()));
  rmSync(dashboards, { recursive: true, force: true });
});

describe('an SLA alert from firing to resolved, through a replay', () => {
  it('fires once the movements the ERP refused are past their deadline, and each receiver hears it once', async () => {
    const [alert] = await until('the alert to fire', async () => {
      const firing = await alertsIn('firing');
      return firing.length > 0 ? firing : undefined;
    });
    expect(alert!.rule).toBe('stock-not-posted');
    await until('every receiver to hear it', async () => (webhook.heard.length > 0 && slack.heard.length > 0 && pagerduty.heard.length > 0 ? true : undefined));
    // Ticks go on every second: nothing more is sent while nothing changes.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(pagerduty.heard.map((h) => h.body.event_action)).toEqual(['trigger']);
    expect(slack.heard).toHaveLength(1);
    expect(webhook.heard).toHaveLength(1);
    const trigger = pagerduty.heard[0]!.body;
    expect(trigger.routing_key).toBe('R0UT1NGKEY');
    expect(JSON.stringify(trigger.links)).toContain('view=slas');
  });

  it('is acknowledged from the API, and PagerDuty hears the acknowledgement under the same dedup key', async () => {
    const [alert] = await alertsIn('firing');
    const ack = await api<{ state: string }>('POST', `/api/v1/alerts/${encodeURIComponent(alert!.id)}/acknowledge`, { note: 'ERP back; replaying' });
    expect(ack.status).toBe(200);
    expect((await alertsIn('acknowledged'))[0]).toMatchObject({ id: alert!.id, acknowledged: { by: 'olga', note: 'ERP back; replaying' } });
    await until('PagerDuty to hear the acknowledgement', async () => (pagerduty.heard.some((h) => h.body.event_action === 'acknowledge') ? true : undefined));
    expect(pagerduty.heard.map((h) => h.body.event_action)).toEqual(['trigger', 'acknowledge']);
    expect(new Set(pagerduty.heard.map((h) => h.body.dedup_key)).size).toBe(1);
    expect((await alertsIn('acknowledged')).map((a) => a.id)).toEqual([alert!.id]);
  });

  it('is not resolved by a viewer, and the audit trail shows who acknowledged it and who was refused', async () => {
    const [alert] = await alertsIn('acknowledged');
    const refused = await server.api(`/api/v1/alerts/${alert!.id}/resolve`, { method: 'POST', body: { note: 'looks fine to me' } }, 'viewer');
    expect(refused.status).toBe(403);
    expect((await alertsIn('acknowledged')).map((a) => a.id)).toEqual([alert!.id]);

    expect(await auditRows('alert.acknowledge', 1)).toEqual([
      expect.objectContaining({ actor: 'olga', actor_kind: 'operator', action: 'alert.acknowledge', target: alert!.id, status: 200, result: 'ok' }),
    ]);
    expect(await auditRows('alert.resolve', 1)).toEqual([
      expect.objectContaining({ actor: `token:${tokenFingerprint(TEST_TOKENS.viewer)}`, actor_kind: 'viewer', action: 'alert.resolve', target: alert!.id, status: 403, result: 'denied' }),
    ]);
  });

  it('resolves after the dead-lettered postings are replayed to the ERP, each applied once, and the resolve is heard once', async () => {
    // The ERP is back (the run's own instance closed with it).
    erp = await startErpServer({ tracer: trace.getTracer('erp'), port: erpPort });
    const now = Date.now();
    const selection = { kind: 'filter', flow: 'inventory_sync', error_code: 'HTTP_503', from: now - 10 * 60_000, to: now };
    const dry = await api<{ items: { action: string }[] }>('POST', '/api/v1/replays/dry-run', { selection });
    expect(dry.status).toBe(200);
    expect(dry.body.items.filter((i) => i.action === 'send')).toHaveLength(deadLettered);
    expect(erp.applied()).toBe(0);

    const created = await api<{ id: string; state: string; requested_by: string }>('POST', '/api/v1/replays', { selection, reason: 'ERP outage over' });
    expect(created.status).toBe(202);
    expect(created.body.requested_by).toBe('olga');
    await until('the replay job to finish', async () => {
      const job = await api<{ state: string }>('GET', `/api/v1/replays/${created.body.id}`);
      return job.body.state === 'done' ? job.body : undefined;
    });
    expect(erp.applied()).toBe(deadLettered);
    expect(await auditRows('replay.create', 1)).toEqual([expect.objectContaining({ actor: 'olga', target: created.body.id, method: 'POST', path: '/api/v1/replays', status: 202, result: 'ok' })]);

    await server.flush();
    await until('the alert to resolve', async () => ((await alertsIn('resolved')).length > 0 ? true : undefined));
    await until('PagerDuty to hear the resolve', async () => (pagerduty.heard.some((h) => h.body.event_action === 'resolve') ? true : undefined));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(pagerduty.heard.map((h) => h.body.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(new Set(pagerduty.heard.map((h) => h.body.dedup_key)).size).toBe(1);
    // The incident log hears every transition once; the chat hears the alert and its end.
    expect(webhook.heard.map((h) => h.body.action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(new Set(webhook.heard.map((h) => h.body.notification_id)).size).toBe(3);
    expect(slack.heard.filter((h) => /resolved/i.test(String(h.body.text)))).toHaveLength(1);

    // Replaying again sends nothing: every item is already replayed.
    const again = await api<{ items: { action: string }[] }>('POST', '/api/v1/replays/dry-run', { selection });
    expect(again.body.items.filter((i) => i.action === 'send')).toHaveLength(0);
    expect(erp.applied()).toBe(deadLettered);
  });
});
