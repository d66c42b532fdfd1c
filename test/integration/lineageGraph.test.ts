import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDelimited } from '../../collectors/files/delimitedText.js';
import { lineageEvidenceSchema, lineageResponseSchema, type LineageNode, type LineageResponse } from '../../server/contracts/lineageApi.js';
import { EVIDENCE_COLUMNS, parseKeys } from '../../server/domain/lineageEvidence.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

// A refund for an order: the refund is retried once before Stripe takes it, the credit memo is dead-lettered and
// replayed, and only one of the credit memo's two journal lines reaches the ledger — with another amount.
const T = Date.now() - 20 * 60_000;
const ORDER = 'shopify-order-9001';
const REFUND = 'rtr-re_9001';
const orderKeys = { order_id: '#9001', shopify_order_id: '9001' };
const refundKeys = { ...orderKeys, refund_id: 're_9001', rma_id: 'RMA-9001' };
const at = (offsetMs: number) => new Date(T + offsetMs).toISOString();
const money = { amount: '59.90', currency: 'EUR' };

const order = (id: string, step: string, system: string, offset: number, extra: Record<string, unknown> = {}) => ({
  event_id: id,
  correlation_id: ORDER,
  flow: 'order_to_cash',
  step,
  system,
  channel: 'shopify',
  occurred_at: at(offset),
  keys: orderKeys,
  ...money,
  ...extra,
});
const refund = (id: string, step: string, system: string, offset: number, extra: Record<string, unknown> = {}) => ({
  event_id: id,
  correlation_id: REFUND,
  flow: 'return_to_refund',
  step,
  system,
  channel: 'shopify',
  occurred_at: at(offset),
  keys: refundKeys,
  ...extra,
});
const trace = (n: number) => ({ trace_id: `${'a'.repeat(30)}${String(n).padStart(2, '0')}`, span_id: `${'b'.repeat(14)}${String(n).padStart(2, '0')}` });

const events = [
  order('o1', 'shop.order.created', 'shopify', 0),
  order('o2', 'payment.charge.succeeded', 'stripe', 2_000, { keys: { ...orderKeys, charge_id: 'ch_9001' } }),
  refund('r1', 'oms.return.received', 'oms', 60_000, trace(1)),
  refund('r2', 'wms.return.inspected', 'wms', 75_000),
  refund('r3', 'oms.refund.approved', 'oms', 77_000, { target_system: 'stripe', ...money, ...trace(3) }),
  refund('r4a', 'payment.refund.created', 'stripe', 78_000, { status: 'retrying', error_code: 'rate_limit', error_class: 'technical', error_message: 'Stripe: zu viele Anfragen – später erneut', ...money }),
  refund('r4b', 'payment.refund.created', 'stripe', 80_000, money),
  refund('r5a', 'erp.credit_memo.posted', 'middleware', 82_000, { target_system: 'erp', status: 'dead_lettered', error_code: 'HTTP_503', error_class: 'technical', error_message: 'ERP answered 503, "Service Unavailable"', replay_target: 'erp', payload: '{"document_type":"credit_memo"}', ...money }),
  refund('r5b', 'erp.credit_memo.posted', 'erp', 140_000, { replay_of: 'r5a', keys: { ...refundKeys, journal_id: 'JE-CM-9001' }, ...money, ...trace(5) }),
  refund('r6', 'erp.journal.posted', 'erp', 150_000, { channel: undefined, keys: { journal_id: 'JE-CM-9001', refund_id: 're_9001' }, amount: '49.90', currency: 'EUR' }),
];

let server: TestServer;
let answer: LineageResponse;
let asked: { before: number; after: number };
const node = (id: string): LineageNode => answer.graph.nodes.find((n) => n.correlation_id === id)!;
const fetchExport = (format: string) => server.api(`/api/v1/lineage/export?key=re_9001&depth=2&format=${format}`, {}, 'viewer');

beforeAll(async () => {
  server = await startTestServer();
  expect((await postEvents(server, events)).status).toBe(200);
  await server.flush();
  const before = Date.now();
  const response = await server.api('/api/v1/lineage?key=re_9001&depth=2', {}, 'viewer');
  asked = { before, after: Date.now() };
  expect(response.status).toBe(200);
  answer = lineageResponseSchema.parse(await response.json());
});
afterAll(async () => {
  await server?.close();
});

describe('lineage graph', () => {
  it('walks from the refund to its order and links them by the keys they share', () => {
    expect(answer.graph.nodes.map((n) => [n.correlation_id, n.flow, n.depth])).toEqual([
      [REFUND, 'return_to_refund', 0],
      [ORDER, 'order_to_cash', 1],
    ]);
    expect(answer.graph.edges).toEqual([
      {
        from: ORDER,
        to: REFUND,
        keys: [
          { name: 'order_id', value: '#9001' },
          { name: 'shopify_order_id', value: '9001' },
        ],
      },
    ]);
    expect(answer.events).toHaveLength(events.length);
  });

  it('lays the refund out per system in time order, with retries, replays, amounts and the spans behind each step', () => {
    const refundNode = node(REFUND);
    expect(refundNode.lanes.map((l) => [l.system, l.steps.map((s) => s.step)])).toEqual([
      ['oms', ['oms.return.received', 'oms.refund.approved']],
      ['wms', ['wms.return.inspected']],
      ['stripe', ['payment.refund.created']],
      ['erp', ['erp.credit_memo.posted', 'erp.journal.posted']],
    ]);
    const steps = new Map(refundNode.lanes.flatMap((l) => l.steps).map((s) => [s.step, s]));
    expect(steps.get('payment.refund.created')).toMatchObject({ first_at: at(78_000), ok_at: at(80_000), attempts: { retrying: 1, failed: 0, dead_lettered: 0 }, replays: 0, amount: '59.9', currency: 'EUR' });
    expect(steps.get('erp.credit_memo.posted')).toMatchObject({ system: 'erp', status: 'ok', ok_at: at(140_000), attempts: { retrying: 0, failed: 0, dead_lettered: 1 }, replays: 1, occurrences: 1 });
    expect(steps.get('erp.credit_memo.posted')!.events.map((e) => [e.event_id, e.status, e.trace_id, e.span_id, e.replay_of])).toEqual([
      ['r5a', 'dead_lettered', null, null, null],
      ['r5b', 'ok', trace(5).trace_id, trace(5).span_id, 'r5a'],
    ]);
  });

  it('times every hop and flags the ledger line booked with another amount', () => {
    expect(node(REFUND).hops.map((h) => [h.from, h.to, h.duration_ms, h.amount, h.amount_changed])).toEqual([
      ['oms.return.received', 'wms.return.inspected', 15_000, null, false],
      ['wms.return.inspected', 'oms.refund.approved', 2_000, '59.9', false],
      ['oms.refund.approved', 'payment.refund.created', 3_000, '59.9', false],
      ['payment.refund.created', 'erp.credit_memo.posted', 60_000, '59.9', false],
      ['erp.credit_memo.posted', 'erp.journal.posted', 10_000, '49.9', true],
    ]);
    expect(node(REFUND).hops.at(-1)?.previous_amount).toBe('59.9');
  });

  it('reports the missing journal line, aged since the last step, overdue against the refund-ledger policy', () => {
    const journal = answer.missing.find((m) => m.correlation_id === REFUND);
    const now = Date.parse(answer.at);
    expect(now).toBeGreaterThanOrEqual(asked.before);
    expect(now).toBeLessThanOrEqual(asked.after);
    expect(journal).toMatchObject({ flow: 'return_to_refund', variant: null, step: 'erp.journal.posted', expected: 2, seen: 1, last_status: 'ok', waiting_since: at(150_000), age_ms: now - (T + 150_000) });
    expect(journal!.slas).toEqual([
      { policy: 'refund-ledger', name: 'Refunds in the ledger within 2 min', started_at: at(80_000), deadline_at: at(200_000), overdue: true, overdue_by_ms: now - (T + 200_000) },
    ]);
    expect(answer.missing.filter((m) => m.correlation_id === REFUND)).toHaveLength(1);
    expect(node(REFUND).state).toBe('in_progress');
  });

  it('matches the order to its online variant and lists the steps it has not reached', () => {
    expect(node(ORDER).variant).toEqual({ id: 'online', name: 'Online store (Shopify, paid through Stripe)' });
    expect(answer.missing.filter((m) => m.correlation_id === ORDER).map((m) => m.step)).toEqual(['oms.order.released', 'wms.order.shipped', 'shop.fulfillment.created', 'erp.invoice.posted']);
    const invoice = answer.missing.find((m) => m.step === 'erp.invoice.posted');
    expect(invoice?.slas.map((s) => [s.policy, s.started_at, s.overdue])).toEqual([['order-invoiced', at(0), true]]);
  });
});

describe('lineage evidence export', () => {
  it('exports the chain as CSV: one row per event in time order with every canonical field, as an attachment', async () => {
    const response = await fetchExport('csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="lineage-re_9001-\d{8}T\d{6}Z\.csv"$/);
    expect(response.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`);
    const rows = readDelimited(text, ',').map((r) => ('fields' in r ? r.fields : []));
    expect(rows[0]).toEqual(EVIDENCE_COLUMNS);
    const records = rows.slice(1).map((fields) => Object.fromEntries(EVIDENCE_COLUMNS.map((c, i) => [c, fields[i]])));
    expect(records.map((r) => r.event_id)).toEqual(answer.events.map((e) => e.event_id));
    const stripeRetry = records.find((r) => r.event_id === 'r4a')!;
    expect(stripeRetry).toMatchObject({ status: 'retrying', error_message: 'Stripe: zu viele Anfragen – später erneut', amount: '59.9', currency: 'EUR', target_system: '' });
    expect(records.find((r) => r.event_id === 'r5a')?.error_message).toBe('ERP answered 503, "Service Unavailable"');
    expect(parseKeys(records.find((r) => r.event_id === 'r5b')!.keys!)).toEqual({ ...refundKeys, journal_id: 'JE-CM-9001' });
  });

  it('exports the chain as JSON: the full lineage answer, when it was generated and a SHA-256 of its events', async () => {
    const response = await fetchExport('json');
    const evidence = lineageEvidenceSchema.parse(await response.json());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="lineage-re_9001-\d{8}T\d{6}Z\.json"$/);
    expect(evidence.events).toEqual(answer.events);
    expect(evidence.graph.edges).toEqual(answer.graph.edges);
    expect(evidence.missing.map((m) => [m.correlation_id, m.step])).toEqual(answer.missing.map((m) => [m.correlation_id, m.step]));
    expect(evidence.events_sha256).toBe(createHash('sha256').update(JSON.stringify(evidence.events), 'utf8').digest('hex'));
    expect(Date.parse(evidence.generated_at)).toBeGreaterThanOrEqual(Date.parse(answer.at));
  });

  it('refuses an unknown format and answers 404 for a key nobody sent', async () => {
    const bad = await fetchExport('xml');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^format: format must be json or csv/);
    const unknown = await server.api('/api/v1/lineage/export?key=re_nobody&format=csv', {}, 'viewer');
    expect(unknown.status).toBe(404);
  });
});
