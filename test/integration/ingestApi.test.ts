import { gzipSync } from 'node:zlib';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throughputSchema, type Throughput } from '../../server/contracts/api.js';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { asRole } from '../support/access.js';
import { makeEvent, postEvents, startTestServer, TEST_INGEST_TOKEN, type TestServer } from '../support/testServer.js';

const ERP_TOKEN = 'erp-ingest-token-0123456789';

let server: TestServer;
/** A dashboard read, as the least role that reads (a viewer) makes it. */
const read = (pathAndQuery: string) => server.api(pathAndQuery, {}, 'viewer');
const at = (offsetMs: number) => new Date(Date.now() - 60_000 + offsetMs).toISOString();

beforeAll(async () => {
  server = await startTestServer({
    ingestTokens: [TEST_INGEST_TOKEN, `erp:${ERP_TOKEN}`],
    env: { FLOWLENS_INGEST_MAX_BODY_BYTES: String(256 * 1024) },
  });
});
afterAll(async () => {
  await server?.close();
});

async function lineage(key: string, depth?: number) {
  await server.flush();
  const res = await read(`/api/v1/lineage?key=${encodeURIComponent(key)}${depth === undefined ? '' : `&depth=${depth}`}`);
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('POST /v1/events → lineage by key', () => {
  it('stores posted events and finds them by order id in time order, with the key that linked them', async () => {
    const events = [
      makeEvent({ event_id: 'o1-3', correlation_id: 'otc-1', step: 'oms.order.released', system: 'oms', occurred_at: at(3000), keys: { order_id: 'SO-1' } }),
      makeEvent({ event_id: 'o1-1', correlation_id: 'otc-1', step: 'shop.order.created', occurred_at: at(1000), keys: { order_id: 'SO-1' } }),
      makeEvent({ event_id: 'o1-2', correlation_id: 'otc-1', step: 'payment.authorized', system: 'stripe', occurred_at: at(2000), keys: { order_id: 'SO-1', payment_id: 'pi_1' }, amount: 59.9, currency: 'EUR' }),
    ];
    const res = await postEvents(server, events);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 3, duplicates: 0, rejected: 0, errors: [], errors_truncated: false });

    const { status, body } = await lineage('SO-1');
    expect(status).toBe(200);
    const answer = lineageResponseSchema.parse(body);
    expect(answer.events.map((e) => e.step)).toEqual(['shop.order.created', 'payment.authorized', 'oms.order.released']);
    expect(answer.correlations).toMatchObject([{ correlation_id: 'otc-1', linked_by: [{ name: 'order_id', value: 'SO-1' }], event_count: 3, depth: 0 }]);
    expect(answer.events[1]).toMatchObject({ amount: '59.9', currency: 'EUR', keys: { order_id: 'SO-1', payment_id: 'pi_1' } });
  });

  it('finds the same chain by correlation id', async () => {
    const answer = lineageResponseSchema.parse((await lineage('otc-1')).body);
    expect(answer.events).toHaveLength(3);
    expect(answer.correlations[0]?.linked_by).toEqual([{ name: 'correlation_id', value: 'otc-1' }]);
  });

  it('walks from a refund to the order it refunds and to the ledger entry, within the depth asked', async () => {
    await postEvents(server, [
      makeEvent({ event_id: 'r1-1', correlation_id: 'rtr-1', flow: 'return_to_refund', step: 'payment.refund.created', system: 'stripe', occurred_at: at(5000), keys: { refund_id: 're_1', order_id: 'SO-1' } }),
      makeEvent({ event_id: 'j1-1', correlation_id: 'stl-1', flow: 'settlement_to_ledger', step: 'erp.journal.posted', system: 'erp', occurred_at: at(9000), keys: { refund_id: 're_1', journal_id: 'JE-1' } }),
    ]);
    const near = lineageResponseSchema.parse((await lineage('JE-1', 0)).body);
    expect(near.correlations.map((c) => c.correlation_id)).toEqual(['stl-1']);

    const far = lineageResponseSchema.parse((await lineage('JE-1', 2)).body);
    expect(far.correlations.map((c) => [c.correlation_id, c.depth])).toEqual([
      ['stl-1', 0],
      ['rtr-1', 1],
      ['otc-1', 2],
    ]);
    expect(far.correlations[1]?.linked_by).toEqual([{ name: 'refund_id', value: 're_1' }]);
    expect(far.events.map((e) => e.event_id)).toEqual(['o1-1', 'o1-2', 'o1-3', 'r1-1', 'j1-1']);
  });

  it('answers 404 with a clear message for an unknown key, 400 without a key', async () => {
    const unknown = await lineage('SO-does-not-exist');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'key_not_found', message: expect.stringContaining('SO-does-not-exist') } });
    const missing = await read('/api/v1/lineage');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { message: expect.stringContaining('key') } });
  });
});

describe('the same event_id sent again', () => {
  it('is reported as a duplicate and shows once in lineage and in throughput', async () => {
    const event = makeEvent({ event_id: 'dup-1', correlation_id: 'otc-dup', occurred_at: at(20_000), keys: { order_id: 'SO-DUP' } });
    const first = await postEvents(server, [event, event]);
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 1 });
    const again = await postEvents(server, [event]);
    expect(await again.json()).toMatchObject({ accepted: 1, duplicates: 1 });

    const answer = lineageResponseSchema.parse((await lineage('SO-DUP')).body);
    expect(answer.events.map((e) => e.event_id)).toEqual(['dup-1']);
    await server.flush();
    const throughput = throughputSchema.parse(await (await read('/api/v1/throughput')).json());
    const second = Math.floor(Date.parse(event.occurred_at as string) / 1000) * 1000;
    const point = throughput.series.find((s) => s.flow === 'order_to_cash')?.points.find((p) => p.t === second);
    expect(point?.count).toBe(1);
  });
});

describe('bad input', () => {
  it('keeps the good records and names each bad one by index, field and reason', async () => {
    const res = await postEvents(server, [
      makeEvent({ event_id: 'ok-1', correlation_id: 'otc-mixed' }),
      makeEvent({ event_id: 'bad-1', status: 'lost', currency: 'eur', amount: '1.5' }),
      makeEvent({ event_id: 'bad-2', occurred_at: '2026-11-27 10:00' }),
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { errors: unknown[] };
    expect(body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { index: 1, field: 'status', message: expect.stringContaining('ok, failed') },
        { index: 1, field: 'currency', message: expect.stringContaining('ISO 4217') },
        { index: 2, field: 'occurred_at', message: expect.stringContaining('timezone') },
      ]),
    );
    expect(lineageResponseSchema.parse((await lineage('otc-mixed')).body).events).toHaveLength(1);
  });

  it('reports a line that is not JSON at its index and keeps its neighbours', async () => {
    const body = [JSON.stringify(makeEvent({ event_id: 'nd-1' })), '{"event_id": ', JSON.stringify(makeEvent({ event_id: 'nd-2' }))].join('\n');
    const res = await postEvents(server, body);
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 1, field: '(record)', message: expect.stringContaining('not valid JSON') }] });
  });

  it('answers 400 for an empty or wholly invalid body, with the reasons', async () => {
    const empty = await postEvents(server, '');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: 'invalid_body', message: expect.stringContaining('empty') } });
    const invalid = await postEvents(server, [{ event_id: 'x' }]);
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; details: unknown[] } };
    expect(body.error.code).toBe('invalid_events');
    expect(body.error.details).toContainEqual({ index: 0, field: 'correlation_id', message: 'is required' });
  });

  it('answers 401 without a token or with a wrong one, and stores nothing', async () => {
    const event = makeEvent({ event_id: 'unauth-1', keys: { order_id: 'SO-UNAUTH' } });
    const none = await fetch(`${server.baseUrl}/v1/events`, { method: 'POST', body: JSON.stringify([event]), headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await postEvents({ ...server, ingestToken: 'not-the-token-0000000000' }, [event]);
    expect(wrong.status).toBe(401);
    expect((await lineage('SO-UNAUTH')).status).toBe(404);
  });

  it('answers 413 past the body limit, also when a small gzip body inflates past it', async () => {
    const big = 'x'.repeat(300 * 1024);
    const plain = await postEvents(server, big);
    expect(plain.status).toBe(413);
    expect(await plain.json()).toMatchObject({ error: { code: 'body_too_large' } });
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const inflated = await postEvents(server, bomb, { 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
  });

  it('accepts a gzip-compressed JSON array', async () => {
    const body = gzipSync(JSON.stringify([makeEvent({ event_id: 'gz-1', keys: { order_id: 'SO-GZ' } })]));
    const res = await postEvents(server, body, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect((await lineage('SO-GZ')).status).toBe(200);
  });

  it('answers 415 for a content type it does not read', async () => {
    const res = await postEvents(server, 'a,b\n1,2', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
  });
});

describe('GET /api/v1/throughput', () => {
  it('answers for the window asked, and names a bad one', async () => {
    await server.flush();
    const minute = throughputSchema.parse(await (await read('/api/v1/throughput?window=60')).json());
    expect(minute.window_seconds).toBe(60);
    expect(minute.to - minute.from).toBe(60_000);
    const bad = await read('/api/v1/throughput?window=5');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { details: [{ field: 'window', message: 'window must be at least 10 seconds' }] } });
  });
});

/** Resolves when the socket connects, rejects with the server's refusal. */
const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });

describe('live throughput over socket.io', () => {
  it('refuses a connection without a session or an API token, saying to sign in', async () => {
    const socket: Socket = io(server.baseUrl, { transports: ['websocket'], reconnection: false });
    try {
      await expect(connected(socket)).rejects.toThrow(/^unauthenticated/);
      expect(socket.connected).toBe(false);
    } finally {
      socket.close();
    }
  });

  it('shows newly posted events within 2 seconds', async () => {
    const socket: Socket = io(server.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: asRole('viewer') });
    const updates: Throughput[] = [];
    socket.on('throughput', (payload: unknown) => updates.push(throughputSchema.parse(payload)));
    await connected(socket);
    const now = Date.now();
    const events = Array.from({ length: 25 }, (_, i) => makeEvent({ event_id: `live-${i}`, flow: 'transfer', step: 'wms.transfer.shipped', system: 'wms', occurred_at: new Date(now).toISOString() }));
    const posted = Date.now();
    expect((await postEvents(server, events)).status).toBe(200);
    const seen = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no live update with the posted events within 2 s')), 2_000);
      const check = () => {
        const total = updates.at(-1)?.series.find((s) => s.flow === 'transfer')?.points.reduce((n, p) => n + p.count, 0);
        if (total === 25) {
          clearTimeout(timer);
          resolve(Date.now() - posted);
        } else setTimeout(check, 20);
      };
      check();
    });
    socket.close();
    expect(seen).toBeLessThan(2_000);
  });
});

describe('the API description', () => {
  it('is served and describes every route the server answers', async () => {
    const res = await read('/api/v1/openapi.yaml');
    expect(res.status).toBe(200);
    const doc = await res.text();
    for (const route of ['/v1/events', '/v1/files/{kind}', '/webhooks/shopify', '/webhooks/stripe', '/webhooks/standard', '/api/v1/lineage', '/api/v1/throughput', '/healthz', '/readyz', '/metrics']) {
      expect(doc).toContain(`  ${route}:`);
    }
  });

  it('answers an unknown API route with a JSON 404 that points to it', async () => {
    const res = await read('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('openapi.yaml') } });
  });
});

describe('health and self-metrics', () => {
  it('reports live, ready and Prometheus metrics of what was ingested and rejected', async () => {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await (await read('/metrics')).text();
    expect(metrics).toMatch(/flowlens_events_ingested_total\{source="events_api",key="default"\} \d+/);
    expect(metrics).toMatch(/flowlens_events_rejected_total\{source="events_api",key="default",field="correlation_id"\} [1-9]/);
    expect(metrics).toMatch(/flowlens_http_requests_total\{method="POST",route="\/v1\/events",status="401"\} [1-9]/);
    expect(metrics).toMatch(/flowlens_store_insert_duration_seconds_count\{table="events"\} [1-9]/);
  });

  it('counts what each named ingest key sent under its own name', async () => {
    const res = await postEvents({ ...server, ingestToken: ERP_TOKEN }, [makeEvent({ event_id: 'erp-key-1' }), makeEvent({ event_id: 'erp-key-2' })]);
    expect(res.status).toBe(200);
    const metrics = await (await read('/metrics')).text();
    expect(metrics).toContain('flowlens_events_ingested_total{source="events_api",key="erp"} 2');
  });
});

describe('who may read', () => {
  it('answers a dashboard read without credentials with 401, saying how to sign in', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/overview`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated', message: expect.stringContaining('sign in') } });
  });

  it('refuses an ingest key on the dashboard API with 403: it can only send events', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/overview`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('can only send events') } });
  });

  it('serves /metrics to a viewer API token (how Prometheus scrapes), not to anonymous callers or ingest keys', async () => {
    const anonymous = await fetch(`${server.baseUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('flowlens_events_ingested_total');
    const ingestKey = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}` } });
    expect(ingestKey.status).toBe(403);
    const viewer = await read('/metrics');
    expect(viewer.status).toBe(200);
    expect(viewer.headers.get('content-type')).toContain('text/plain');
    expect(await viewer.text()).toContain('flowlens_events_ingested_total');
  });
});
