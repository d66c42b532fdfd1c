import { SpanKind } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErpPosting } from '../model.js';
import { startErpServer, type ErpServer, type ErpServerOptions } from './erpServer.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('erp-test');

const AT = Date.UTC(2026, 10, 27, 10, 0, 0, 0);
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

const invoice: ErpPosting = {
  idempotency_key: 'ORD-1001:erp.invoice_posted',
  document_type: 'invoice',
  event: {
    event_id: 'ORD-1001:erp.invoice_posted',
    correlation_id: 'ORD-1001',
    flow: 'order_to_cash',
    step: 'erp.invoice_posted',
    system: 'erp',
    amount: '49.90',
    currency: 'EUR',
    status: 'ok',
    keys: { order_id: '#1001' },
  },
};

let servers: ErpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  exporter.reset();
});

async function startErp(options: Partial<ErpServerOptions> = {}): Promise<ErpServer> {
  const server = await startErpServer({ tracer, ...options });
  servers.push(server);
  return server;
}

function headersFor(posting: ErpPosting, at: number = AT): Record<string, string> {
  return { 'content-type': 'application/json', 'idempotency-key': posting.idempotency_key, 'x-simulated-time': String(at) };
}

async function post(erp: ErpServer, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${erp.url}/erp/v1/postings`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
}

async function lookup(erp: ErpServer, key: string) {
  const response = await fetch(`${erp.url}/erp/v1/postings/${encodeURIComponent(key)}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /erp/v1/postings', () => {
  it('applies a posting and reports it as a server span, a child of the caller’s span', async () => {
    const erp = await startErp();

    const answer = await post(erp, invoice, { ...headersFor(invoice), traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` });

    expect(answer).toMatchObject({ status: 201, body: { status: 'applied', posting_id: 'ERP-00000001', applied_at: new Date(AT).toISOString() } });
    expect(erp.applied()).toBe(1);
    expect(erp.isApplied(invoice.idempotency_key)).toBe(true);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe('erp.post_invoice');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(hrTimeToMilliseconds(span.startTime)).toBe(AT);
    expect(hrTimeToMilliseconds(span.endTime)).toBe(AT + 15);
    expect(span.attributes).toEqual({
      'retail.event_id': 'ORD-1001:erp.invoice_posted',
      'retail.correlation_id': 'ORD-1001',
      'retail.flow': 'order_to_cash',
      'retail.step': 'erp.invoice_posted',
      'retail.system': 'erp',
      'retail.amount': '49.90',
      'retail.currency': 'EUR',
      'retail.status': 'ok',
      'retail.key.order_id': '#1001',
      'erp.posting_id': 'ERP-00000001',
    });
  });

  it('numbers postings in the order it applies them and starts a new trace without a traceparent', async () => {
    const erp = await startErp();
    const transfer: ErpPosting = { ...invoice, idempotency_key: 'TR-7:erp.transfer_posted', document_type: 'transfer' };

    await post(erp, invoice, headersFor(invoice));
    const second = await post(erp, transfer, headersFor(transfer));

    expect(second.body).toMatchObject({ status: 'applied', posting_id: 'ERP-00000002' });
    const span = exporter.getFinishedSpans()[1]!;
    expect(span.name).toBe('erp.post_transfer');
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('uses the wall clock when no X-Simulated-Time is sent, as a real caller (a replay) does', async () => {
    const erp = await startErp();
    const { 'x-simulated-time': _time, ...headers } = headersFor(invoice);
    const before = Date.now();

    const answer = await post(erp, invoice, headers);

    const appliedAt = Date.parse(answer.body.applied_at as string);
    expect(answer.status).toBe(201);
    expect(appliedAt).toBeGreaterThanOrEqual(before);
    expect(appliedAt).toBeLessThanOrEqual(Date.now());
    expect(hrTimeToMilliseconds(exporter.getFinishedSpans()[0]!.startTime)).toBe(appliedAt);
  });

  it('answers a repeat of an applied posting with already_applied and reports nothing again', async () => {
    const erp = await startErp();
    const first = await post(erp, invoice, headersFor(invoice));
    // The same posting with its keys in another order, at a later time: still the same posting.
    const reordered = { event: { ...invoice.event }, document_type: invoice.document_type, idempotency_key: invoice.idempotency_key };

    const repeat = await post(erp, reordered, headersFor(invoice, AT + 7_000));

    expect(repeat).toMatchObject({ status: 200, body: { status: 'already_applied', posting_id: first.body.posting_id, applied_at: first.body.applied_at } });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(erp.applied()).toBe(1);
  });

  it('refuses a key reused for a different posting with 422', async () => {
    const erp = await startErp();
    await post(erp, invoice, headersFor(invoice));
    const different: ErpPosting = { ...invoice, event: { ...invoice.event, amount: '59.90' } };

    const answer = await post(erp, different, headersFor(different));

    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: 'idempotency_key_reused', message: expect.stringContaining(invoice.idempotency_key) });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('applies one key once when 50 requests carrying it arrive together', async () => {
    const erp = await startErp();

    const answers = await Promise.all(Array.from({ length: 50 }, () => post(erp, invoice, headersFor(invoice))));

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    expect(new Set(answers.map((a) => a.body.posting_id))).toEqual(new Set(['ERP-00000001']));
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(erp.applied()).toBe(1);
  });

  it('ignores an occurred_at the sender put in the event: the ERP stamps its own time', async () => {
    const erp = await startErp();

    const answer = await post(erp, { ...invoice, event: { ...invoice.event, occurred_at: AT - 60_000 } }, headersFor(invoice));

    expect(answer.status).toBe(201);
    const span = exporter.getFinishedSpans()[0]!;
    expect(hrTimeToMilliseconds(span.startTime)).toBe(AT);
    expect(span.attributes).not.toHaveProperty('retail.occurred_at');
  });
});

describe('simulated outages', () => {
  const outage = { from: AT - 60_000, to: AT + 60_000 };

  it('answers 503 with Retry-After inside the window, applies nothing, and applies the same request after it', async () => {
    const erp = await startErp({ outages: [outage], retryAfterSeconds: 7 });

    const during = await post(erp, invoice, headersFor(invoice, outage.from));

    expect(during).toEqual({ status: 503, retryAfter: '7', body: { error: 'unavailable', message: 'ERP is unavailable (simulated outage)' } });
    expect(await lookup(erp, invoice.idempotency_key)).toEqual({ status: 404, body: { status: 'not_found' } });
    expect(erp.applied()).toBe(0);
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    const after = await post(erp, invoice, headersFor(invoice, outage.to));

    expect(after).toMatchObject({ status: 201, body: { status: 'applied', applied_at: new Date(outage.to).toISOString() } });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('sends Retry-After: 5 by default and follows outages replaced at run time', async () => {
    const erp = await startErp();
    erp.setOutages([outage]);

    expect(await post(erp, invoice, headersFor(invoice))).toMatchObject({ status: 503, retryAfter: '5' });

    erp.setOutages([]);

    expect(await post(erp, invoice, headersFor(invoice))).toMatchObject({ status: 201 });
  });
});

describe('GET /erp/v1/postings/:key', () => {
  it('says whether a key was applied, and as which posting', async () => {
    const erp = await startErp();
    const slashed: ErpPosting = { ...invoice, idempotency_key: 'stores/0042/receipt 17' };
    await post(erp, slashed, headersFor(slashed));

    expect(await lookup(erp, slashed.idempotency_key)).toEqual({
      status: 200,
      body: { status: 'applied', posting_id: 'ERP-00000001', applied_at: new Date(AT).toISOString() },
    });
    expect(await lookup(erp, 'never-sent')).toEqual({ status: 404, body: { status: 'not_found' } });
    expect(erp.isApplied('never-sent')).toBe(false);
  });
});

describe('refusals', () => {
  const { event } = invoice;
  const cases: [string, unknown, Record<string, string>, Record<string, unknown>][] = [
    ['an invalid body field', { ...invoice, document_type: 'receipt' }, {}, { error: 'invalid_body', field: 'document_type' }],
    ['a missing event field', { ...invoice, event: { ...event, event_id: undefined } }, {}, { error: 'invalid_body', field: 'event.event_id' }],
    ['an empty event field', { ...invoice, event: { ...event, correlation_id: '' } }, {}, { error: 'invalid_body', field: 'event.correlation_id' }],
    ['a mistyped event field', { ...invoice, event: { ...event, quantity: '3' } }, {}, { error: 'invalid_body', field: 'event.quantity' }],
    ['a wrong status', { ...invoice, event: { ...event, status: 'done' } }, {}, { error: 'invalid_body', field: 'event.status' }],
    ['a non-string key', { ...invoice, event: { ...event, keys: { order_id: 1001 } } }, {}, { error: 'invalid_body', field: 'event.keys.order_id' }],
    ['an unknown field', { ...invoice, event: { ...event, colour: 'red' } }, {}, { error: 'invalid_body', field: 'event.colour' }],
    ['no event at all', { idempotency_key: invoice.idempotency_key, document_type: 'invoice' }, {}, { error: 'invalid_body', field: 'event' }],
    ['a body that is not an object', [invoice], {}, { error: 'invalid_body', field: '(body)' }],
    ['a body key other than the header', invoice, { 'idempotency-key': 'another-key' }, { error: 'invalid_body', field: 'idempotency_key' }],
    ['an unreadable simulated time', invoice, { 'x-simulated-time': '2026-11-27T10:00:00Z' }, { error: 'invalid_header', field: 'X-Simulated-Time' }],
    ['an over-long idempotency key', invoice, { 'idempotency-key': 'k'.repeat(256) }, { error: 'invalid_header', field: 'Idempotency-Key' }],
    ['malformed JSON', '{"idempotency_key": ', {}, { error: 'invalid_json' }],
  ];

  it.each(cases)('answers 400 naming the field for %s', async (_name, body, headers, expected) => {
    const erp = await startErp();

    const answer = await post(erp, body, { ...headersFor(invoice), ...headers });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject(expected);
    expect(answer.body.message).toEqual(expect.any(String));
    expect(erp.applied()).toBe(0);
  });

  it('answers 400 missing_header without an Idempotency-Key', async () => {
    const erp = await startErp();
    const { 'idempotency-key': _key, ...headers } = headersFor(invoice);

    const answer = await post(erp, invoice, headers);

    expect(answer).toMatchObject({ status: 400, body: { error: 'missing_header', message: 'Idempotency-Key header is required' } });
  });

  it('answers 415 to a body that is not JSON', async () => {
    const erp = await startErp();

    const answer = await post(erp, 'idempotency_key=x', { ...headersFor(invoice), 'content-type': 'application/x-www-form-urlencoded' });

    expect(answer).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
  });
});

describe('other routes', () => {
  it('reports health and answers unknown routes with JSON 404', async () => {
    const erp = await startErp();

    const health = await fetch(`${erp.url}/erp/v1/health`);
    const unknown = await fetch(`${erp.url}/erp/v2/postings`, { method: 'POST' });

    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
  });
});
