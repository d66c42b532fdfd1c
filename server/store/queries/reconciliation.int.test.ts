import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { createReconciliationService } from '../../services/reconciliationService.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { queryRows } from '../queryRows.js';
import { schemaFor } from '../schema.js';
import { sql } from '../sql.js';
import { invoicesForOrders, settlementEvents, settlementsActiveBetween } from './reconciliation.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-recon-'));
const T = Date.parse('2026-11-27T10:00:00Z');
const HOUR = 3_600_000;
let store: StoreClients;

type Event = Record<string, unknown>;
const settlement = (id: string) => ({ correlation_id: `settlement-${id}`, flow: 'settlement_to_ledger', status: 'ok', currency: 'EUR' });
const report = (id: string, total: string, at: number): Event => ({ ...settlement(id), event_id: `settlement-${id}:marketplace.settlement.reported`, step: 'marketplace.settlement.reported', system: 'amazon', amount: total, occurred_at: at, keys: { settlement_id: id } });
/** A principal and a commission row for an order, as the settlement receiver stores them (the row as payload). */
const sold = (id: string, order: string, price: string, fee: string, at: number): Event[] =>
  (
    [
      ['ItemPrice', 'Principal', price],
      ['ItemFees', 'Commission', `-${fee}`],
    ] as const
  ).map(([type, description, amount]) => ({
    ...settlement(id),
    event_id: `settlement-${id}:line:${order}:${description}`,
    step: 'marketplace.settlement.line',
    system: 'amazon',
    amount,
    occurred_at: at,
    keys: { settlement_id: id, order_id: order },
    payload: { 'transaction-type': 'Order', 'amount-type': type, 'amount-description': description, amount },
  }));
/** The ERP's journal entry: bank (expected net), fees, receivables (gross), with the journal row as payload. */
const booked = (id: string, gross: string, fees: string, at: number): Event[] => {
  const net = ((Math.round(Number(gross) * 100) - Math.round(Number(fees) * 100)) / 100).toFixed(2);
  return (
    [
      [1, '1200', net],
      [2, '6810', fees],
      [3, '1410', `-${gross}`],
    ] as const
  ).map(([line, account, amount]) => ({
    ...settlement(id),
    event_id: `journal-JE-${id}-${line}:erp.journal.posted`,
    step: 'erp.journal.posted',
    system: 'erp',
    amount,
    occurred_at: at,
    keys: { journal_id: `JE-${id}`, settlement_id: id },
    payload: { journal_id: `JE-${id}`, line_no: String(line), account, document_type: 'settlement', reference: id },
  }));
};
const invoiced = (order: string, amount: string, at: number): Event => ({
  event_id: `mkt-amazon-${order}:erp.invoice.posted`,
  correlation_id: `mkt-amazon-${order}`,
  flow: 'order_to_cash',
  step: 'erp.invoice.posted',
  system: 'erp',
  amount,
  currency: 'EUR',
  occurred_at: at,
  keys: { order_id: order, journal_id: `JE-INV-${order}` },
});
const received = (order: string, at: number): Event => ({ event_id: `mkt-amazon-${order}:marketplace.order.received`, correlation_id: `mkt-amazon-${order}`, flow: 'order_to_cash', step: 'marketplace.order.received', system: 'amazon', occurred_at: at, keys: { order_id: order } });

async function insert(events: Event[]): Promise<void> {
  const values = events.map((e) => {
    const result = validateEvent(e);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, '2026-11-27 12:00:00.000');
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}

const service = () => createReconciliationService(store.query, schema, { ownerOf: (f) => (f.error_class === 'business' && f.flow === 'settlement_to_ledger' ? { id: 'finance', name: 'Finance operations' } : { id: 'other', name: 'Other' }) }, () => T + 2 * HOUR);

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  const m = 60_000;
  // Orders shipped in the period, invoiced by the ERP a few seconds later.
  await insert(['A-1', 'A-2', 'B-1', 'B-2', 'C-1', 'D-1'].flatMap((order, i) => [received(order, T - 30 * m + i * 1000), invoiced(order, order === 'A-2' ? '50.10' : '100.00', T - 20 * m + i * 1000)]).filter((e) => e.event_id !== 'mkt-amazon-B-2:erp.invoice.posted'));
  // S1 matched; S2 charged 17 % where the ERP booked 15 %; S3's order B-2 has no ERP invoice and the ERP booked B-1 only.
  await insert([
    report('S1', '127.58', T),
    ...sold('S1', 'A-1', '100.00', '15.00', T - 10 * m),
    ...sold('S1', 'A-2', '50.10', '7.52', T - 10 * m),
    ...booked('S1', '150.10', '22.52', T + 10_000),
    report('S2', '83.00', T + 5 * m),
    ...sold('S2', 'C-1', '100.00', '17.00', T - 5 * m),
    ...booked('S2', '100.00', '15.00', T + 5 * m + 10_000),
    report('S3', '170.00', T + 10 * m),
    ...sold('S3', 'B-1', '100.00', '15.00', T),
    ...sold('S3', 'B-2', '100.00', '15.00', T),
    ...booked('S3', '100.00', '15.00', T + 10 * m + 10_000),
  ]);
  // S4 reported, not posted by the ERP yet; S5 posted by the ERP without a report; S0 reported before the range, posted in it.
  await insert([report('S4', '85.00', T + 20 * m), ...sold('S4', 'D-1', '100.00', '15.00', T + 15 * m), ...booked('S5', '100.00', '15.00', T + 30 * m)]);
  await insert([report('S0', '85.00', T - 2 * HOUR), ...sold('S0', 'D-1', '100.00', '15.00', T - 2 * HOUR - m), ...booked('S0', '100.00', '15.00', T + 40 * m)]);
  // The same settlement file and journal export sent again later: stored twice, must count once.
  await insert([...sold('S1', 'A-1', '100.00', '15.00', T - 10 * m), ...booked('S1', '150.10', '22.52', T + 10_000), report('S1', '127.58', T), invoiced('A-1', '100.00', T - 20 * m)]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('settlement reconciliation on the real engine', () => {
  const range = { from: T - HOUR, to: T + HOUR };

  it('finds the settlements reported or posted in the range, from the sorting key', async () => {
    const candidates = await settlementsActiveBetween(store.query, schema, range, 100);
    expect(candidates.map((c) => c.correlation_id)).toEqual(['settlement-S1', 'settlement-S2', 'settlement-S3', 'settlement-S4', 'settlement-S5', 'settlement-S0']);
  });

  it('reads each stored event once even when it was stored twice', async () => {
    const [stored] = await queryRows<{ rows: string; events: string }>(store.query, sql`SELECT count() AS rows, uniqExact(event_id) AS events FROM ${schema.table('events')} WHERE correlation_id = 'settlement-S1'`);
    expect(Number(stored!.rows)).toBeGreaterThan(Number(stored!.events));
    const { postings, lines } = await settlementEvents(store.query, schema, ['settlement-S1'], range);
    expect(postings.map((p) => [p.step, p.account, p.amount])).toEqual([
      ['marketplace.settlement.reported', '', '127.58'],
      ['erp.journal.posted', '1200', '127.58'],
      ['erp.journal.posted', '1410', '-150.1'],
      ['erp.journal.posted', '6810', '22.52'],
    ]);
    expect(lines.filter((l) => l.order_id === 'A-1').map((l) => [l.amount_type, l.amount, l.lines])).toEqual([
      ['ItemFees', '-15', 1],
      ['ItemPrice', '100', 1],
    ]);
    expect(await invoicesForOrders(store.query, schema, ['A-1', 'B-2'], { from: T - 2 * HOUR, to: T + 2 * HOUR })).toEqual([{ order_id: 'A-1', amount: '100', currency: 'EUR' }]);
  });

  it('matches, explains a fee difference and a missing invoice, and keeps unmatched sides apart', async () => {
    const answer = await service().list({ ...range, limit: 50, offset: 0 });
    expect(answer.settlements.map((s) => [s.settlement_id, s.status, s.reason, s.reported_net, s.erp_net, s.difference])).toEqual([
      ['S1', 'matched', null, '127.58', '127.58', '0.00'],
      ['S2', 'mismatched', 'fee', '83.00', '85.00', '-2.00'],
      ['S3', 'mismatched', 'missing_line', '170.00', '85.00', '85.00'],
      ['S4', 'unmatched_settlement', null, '85.00', null, null],
      ['S5', 'unmatched_erp', null, null, '85.00', null],
    ]);
    expect(answer).toMatchObject({ total: 5, truncated: false, by_status: { matched: 1, mismatched: 2, unmatched_settlement: 1, unmatched_erp: 1 } });
    // S1 counted once although its lines, journal and report were stored twice.
    expect(answer.settlements[0]).toMatchObject({ lines: 4, lines_total: '127.58', gross: { reported: '150.10', erp: '150.10' }, owner: null });
    expect(answer.settlements[1]).toMatchObject({ source: 'amazon', fees: { reported: '17.00', erp: '15.00' }, owner: { id: 'finance', name: 'Finance operations' } });
  });

  it('filters by status and source, and pages', async () => {
    const mismatched = await service().list({ ...range, statuses: ['mismatched'], limit: 1, offset: 1 });
    expect(mismatched).toMatchObject({ total: 2, offset: 1 });
    expect(mismatched.settlements.map((s) => s.settlement_id)).toEqual(['S3']);
    expect((await service().list({ ...range, source: 'stripe', limit: 50, offset: 0 })).total).toBe(0);
  });

  it('gives one settlement with its orders, found by id whatever its date', async () => {
    const s3 = await service().get('S3');
    expect(s3.orders.map((o) => [o.order_id, o.status, o.line_gross, o.erp_gross])).toEqual([
      ['B-1', 'matched', '100.00', '100.00'],
      ['B-2', 'missing_invoice', '100.00', null],
    ]);
    // S0 belongs to the range its report is dated in, though the ERP posted it in this one.
    expect(await service().get('S0')).toMatchObject({ status: 'matched', reported_at: T - 2 * HOUR });
    await expect(service().get('S9')).rejects.toMatchObject({ status: 404, code: 'settlement_not_found' });
  });
});
