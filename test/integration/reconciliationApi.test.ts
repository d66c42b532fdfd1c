import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiError } from '../../server/contracts/api.js';
import { reconciliationDetailSchema, reconciliationListSchema } from '../../server/contracts/reconciliationApi.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

const T = Date.now() - 30 * 60_000;
let server: TestServer;
const get = async (path: string) => {
  const response = await server.api(path, {}, 'viewer');
  return { status: response.status, body: (await response.json()) as unknown };
};

const settlement = (id: string, currency = 'EUR') => ({ correlation_id: `settlement-${id}`, flow: 'settlement_to_ledger', currency });
const report = (id: string, total: string, at: number, currency = 'EUR') => ({ ...settlement(id, currency), event_id: `settlement-${id}:marketplace.settlement.reported`, step: 'marketplace.settlement.reported', system: 'amazon', amount: total, occurred_at: at, keys: { settlement_id: id } });
const line = (id: string, order: string, type: string, description: string, amount: string, at: number, extra: { refund_id?: string; currency?: string } = {}) => ({
  ...settlement(id, extra.currency),
  event_id: `settlement-${id}:line:${order}:${description}`,
  step: 'marketplace.settlement.line',
  system: 'amazon',
  amount,
  occurred_at: at,
  keys: { settlement_id: id, order_id: order, ...(extra.refund_id ? { refund_id: extra.refund_id } : {}) },
  payload: { 'transaction-type': extra.refund_id ? 'Refund' : 'Order', 'amount-type': type, 'amount-description': description, amount },
});
const journal = (id: string, lineNo: number, account: string, amount: string, at: number) => ({
  ...settlement(id),
  event_id: `journal-JE-${id}-${lineNo}:erp.journal.posted`,
  step: 'erp.journal.posted',
  system: 'erp',
  amount,
  occurred_at: at,
  keys: { journal_id: `JE-${id}`, settlement_id: id },
  payload: { journal_id: `JE-${id}`, line_no: String(lineNo), account, document_type: 'settlement', reference: id },
});
const invoice = (order: string, amount: string, at: number) => ({ event_id: `mkt-amazon-${order}:erp.invoice.posted`, correlation_id: `mkt-amazon-${order}`, flow: 'order_to_cash', step: 'erp.invoice.posted', system: 'erp', amount, currency: 'EUR', occurred_at: at, keys: { order_id: order } });

beforeAll(async () => {
  server = await startTestServer();
  const events = [
    // 1001: Amazon charged 17 % on a 200.00 order; the ERP booked the contract's 15 %.
    invoice('302-1', '200.00', T - 60_000),
    report('1001', '166.00', T),
    line('1001', '302-1', 'ItemPrice', 'Principal', '200.00', T - 30_000),
    line('1001', '302-1', 'ItemFees', 'Commission', '-34.00', T - 30_000),
    journal('1001', 1, '1200', '170.00', T + 8_000),
    journal('1001', 2, '6810', '30.00', T + 8_000),
    journal('1001', 3, '1410', '-200.00', T + 8_000),
    // 1002: reported, matched by the ERP to the cent.
    invoice('302-2', '100.00', T - 60_000),
    report('1002', '85.00', T + 60_000),
    line('1002', '302-2', 'ItemPrice', 'Principal', '100.00', T + 30_000),
    line('1002', '302-2', 'ItemFees', 'Commission', '-15.00', T + 30_000),
    journal('1002', 1, '1200', '85.00', T + 68_000),
    journal('1002', 2, '6810', '15.00', T + 68_000),
    journal('1002', 3, '1410', '-100.00', T + 68_000),
    // 1003: a GBP settlement with a refund withheld, not posted by the ERP yet.
    report('1003', '40.00', T + 120_000, 'GBP'),
    line('1003', '303-1', 'ItemPrice', 'Principal', '50.00', T + 90_000, { currency: 'GBP' }),
    line('1003', '303-0', 'ItemPrice', 'Principal', '-10.00', T + 90_000, { refund_id: 'R-9', currency: 'GBP' }),
  ];
  expect((await postEvents(server, events)).status).toBe(200);
  await server.flush();
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/reconciliation', () => {
  it('lists settlements reconciled against the ERP, mismatches owned by finance', async () => {
    const { status, body } = await get(`/api/v1/reconciliation?from=${T - 1}&to=${new Date(T + 3_600_000).toISOString()}`);
    expect(status).toBe(200);
    const list = reconciliationListSchema.parse(body);
    expect(list.settlements.map((s) => [s.settlement_id, s.status, s.reason, s.reported_net, s.erp_net, s.difference, s.owner?.id ?? null])).toEqual([
      ['1001', 'mismatched', 'fee', '166.00', '170.00', '-4.00', 'finance'],
      ['1002', 'matched', null, '85.00', '85.00', '0.00', null],
      ['1003', 'unmatched_settlement', null, '40.00', null, null, 'finance'],
    ]);
    expect(list).toMatchObject({ total: 3, offset: 0, truncated: false, by_status: { matched: 1, mismatched: 1, unmatched_settlement: 1, unmatched_erp: 0 } });
    expect(list.settlements.map((s) => [s.settlement_id, s.order_counts.total, s.refund_count])).toEqual([
      ['1001', 1, 0],
      ['1002', 1, 0],
      ['1003', 2, 1],
    ]);
    expect(list.settlements[0]!.explanation).toBe('amazon charged 34.00 EUR in fees but the ERP booked 30.00 EUR; that explains the difference of -4.00 EUR');
  });

  it('filters by status and source', async () => {
    const mismatched = reconciliationListSchema.parse((await get(`/api/v1/reconciliation?from=${T - 1}&status=mismatched,unmatched_erp&source=amazon`)).body);
    expect(mismatched.settlements.map((s) => s.settlement_id)).toEqual(['1001']);
    expect(mismatched.by_status.matched).toBe(1);
  });

  it('adds up each status per currency, and says which sources and currencies the range has', async () => {
    const list = reconciliationListSchema.parse((await get(`/api/v1/reconciliation?from=${T - 1}`)).body);
    expect(list.totals).toEqual([
      { status: 'matched', currency: 'EUR', count: 1, reported_net: '85.00', erp_net: '85.00', difference: '0.00' },
      { status: 'mismatched', currency: 'EUR', count: 1, reported_net: '166.00', erp_net: '170.00', difference: '-4.00' },
      { status: 'unmatched_settlement', currency: 'GBP', count: 1, reported_net: '40.00', erp_net: null, difference: null },
    ]);
    expect(list.by_reason).toEqual({ fee: 1, tax: 0, currency: 0, missing_line: 0, unknown: 0 });
    expect(list).toMatchObject({ sources: ['amazon'], currencies: ['EUR', 'GBP'] });
  });

  it('filters by reason and currency, newest first when asked; totals follow the currency, not the status or reason', async () => {
    const fee = reconciliationListSchema.parse((await get(`/api/v1/reconciliation?from=${T - 1}&reason=fee,tax`)).body);
    expect(fee.settlements.map((s) => s.settlement_id)).toEqual(['1001']);
    expect(fee.by_status).toMatchObject({ matched: 1, mismatched: 1, unmatched_settlement: 1 });
    const eur = reconciliationListSchema.parse((await get(`/api/v1/reconciliation?from=${T - 1}&currency=eur&order=newest`)).body);
    expect(eur.settlements.map((s) => s.settlement_id)).toEqual(['1002', '1001']);
    expect(eur.totals.map((t) => t.currency)).toEqual(['EUR', 'EUR']);
    expect(eur.currencies).toEqual(['EUR', 'GBP']);
  });

  it('gives one settlement with each order against its ERP invoice', async () => {
    const { status, body } = await get('/api/v1/reconciliation/1001');
    expect(status).toBe(200);
    const detail = reconciliationDetailSchema.parse(body);
    expect(detail).toMatchObject({ settlement_id: '1001', correlation_id: 'settlement-1001', status: 'mismatched', reason: 'fee', fees: { reported: '34.00', erp: '30.00' }, journal_ids: ['JE-1001'] });
    expect(detail.orders).toEqual([{ order_id: '302-1', status: 'matched', line_gross: '200.00', erp_gross: '200.00', difference: '0.00', refunded: null, currency: 'EUR' }]);
    expect(detail.postings.map((p) => [p.journal_id, p.account, p.role, p.amount])).toEqual([
      ['JE-1001', '1200', 'bank', '170.00'],
      ['JE-1001', '1410', 'receivable', '-200.00'],
      ['JE-1001', '6810', 'fee', '30.00'],
    ]);
    expect(detail.refunds).toEqual([]);
  });

  it("gives a settlement's refunds, and no postings while the ERP has not booked it", async () => {
    const detail = reconciliationDetailSchema.parse((await get('/api/v1/reconciliation/1003')).body);
    expect(detail).toMatchObject({ status: 'unmatched_settlement', currency: 'GBP', postings: [] });
    expect(detail.refunds).toEqual([{ refund_id: 'R-9', order_id: '303-0', amount: '-10.00', currency: 'GBP', lines: 1 }]);
  });

  it('answers 404 for a settlement it has never seen', async () => {
    const { status, body } = await get('/api/v1/reconciliation/9999');
    expect(status).toBe(404);
    expect((body as ApiError).error).toMatchObject({ code: 'settlement_not_found', message: 'no settlement 9999: Flowlens has no settlement report, payout or ERP posting for it' });
  });

  it.each([
    ['/api/v1/reconciliation?from=yesterday', 'from: must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z'],
    [`/api/v1/reconciliation?from=${T}&to=${T - 1}`, 'to: must be later than from'],
    ['/api/v1/reconciliation?status=open', 'status: unknown status open; use matched, mismatched, unmatched_settlement, unmatched_erp, or several separated by commas'],
    ['/api/v1/reconciliation?limit=0', 'limit: limit must be at least 1'],
    ['/api/v1/reconciliation?offset=-1', 'offset: offset must be 0 or more'],
    ['/api/v1/reconciliation?source=', 'source: source must not be empty'],
    ['/api/v1/reconciliation?reason=fees', 'reason: unknown reason fees; use fee, tax, currency, missing_line, unknown, or several separated by commas'],
    ['/api/v1/reconciliation?currency=euro', 'currency: currency must be an ISO 4217 code, e.g. EUR'],
    ['/api/v1/reconciliation?order=latest', 'order: order must be oldest or newest'],
    [`/api/v1/reconciliation/${'9'.repeat(118)}`, 'settlementId: settlementId must be at most 117 characters'],
  ])('answers 400 naming the parameter: %s', async (path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect((body as ApiError).error).toMatchObject({ code: 'invalid_query', message });
  });

  it('refuses an unknown parameter, naming it', async () => {
    const { status, body } = await get('/api/v1/reconciliation?state=matched');
    expect(status).toBe(400);
    expect((body as ApiError).error.message).toMatch(/state/);
  });
});
