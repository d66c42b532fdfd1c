import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';

/** The flow and steps a settlement consists of (docs/simulator.md, dashboards/flows/settlement_to_ledger.yaml). */
export const SETTLEMENT_FLOW = 'settlement_to_ledger';
export const REPORT_STEPS = ['marketplace.settlement.reported', 'payment.payout.paid'] as const;
export const LINE_STEP = 'marketplace.settlement.line';
export const JOURNAL_STEP = 'erp.journal.posted';
export const INVOICE_FLOW = 'order_to_cash';
export const INVOICE_STEP = 'erp.invoice.posted';

/** Every read is also bounded to this much around the asked range (a settlement period is at most a few weeks). */
export const SETTLEMENT_SLACK_MS = 35 * 86_400_000;

export type TimeBound = { from: number; to: number };
export type SettlementCandidate = { correlation_id: string; first_ms: number };
/** A report (the settlement's total or the payout) or one ERP journal line of a settlement. */
export type SettlementPostingRow = { correlation_id: string; settlement_id: string; step: string; system: string; amount: string; currency: string; at: number; journal_id: string; account: string };
/** Settlement lines of one kind summed per order (each line once), with the row's amount type as reported. */
export type SettlementLineRow = { correlation_id: string; system: string; order_id: string; refund_id: string; transaction_type: string; amount_type: string; amount_description: string; currency: string; amount: string; lines: number };
export type InvoiceRow = { order_id: string; amount: string; currency: string };

const ANCHOR_STEPS = [...REPORT_STEPS, JOURNAL_STEP];

/**
 * Settlements with a report, a payout or an ERP journal line dated in [from, to), earliest first: the sorting
 * key's (flow, step, occurred_at) prefix, so it reads only the range. Journal lines of other documents (an
 * invoice's) carry no settlement_id and are left out.
 */
export async function settlementsActiveBetween(client: ClickHouseClient, schema: Schema, range: TimeBound, limit: number): Promise<SettlementCandidate[]> {
  const rows = await queryRows<{ correlation_id: string; first_ms: string | number }>(
    client,
    sql`SELECT correlation_id, toUnixTimestamp64Milli(min(occurred_at)) AS first_ms
        FROM ${schema.table('events')}
        WHERE flow = ${SETTLEMENT_FLOW} AND step IN ${param.arrayString(ANCHOR_STEPS)}
          AND occurred_at >= ${param.dateTime64(range.from)} AND occurred_at < ${param.dateTime64(range.to)}
          AND status = 'ok' AND keys['settlement_id'] != ''
        GROUP BY correlation_id
        ORDER BY first_ms, correlation_id
        LIMIT ${param.uint32(limit)}`,
  );
  return rows.map((r) => ({ correlation_id: r.correlation_id, first_ms: Number(r.first_ms) }));
}

/**
 * When each correlation's events were seen (the key lookup records every correlation id as a key), clipped to
 * `bound`, merged into one range to read them in.
 */
async function spanOf(client: ClickHouseClient, schema: Schema, values: readonly string[], keyName: string, flow: string, bound: TimeBound): Promise<{ correlations: string[]; range: TimeBound } | undefined> {
  const rows = await queryRows<{ correlation_id: string; first_ms: string | number; last_ms: string | number }>(
    client,
    sql`SELECT correlation_id, toUnixTimestamp64Milli(min(first_at)) AS first_ms, toUnixTimestamp64Milli(max(last_at)) AS last_ms
        FROM ${schema.table('keyLookup')}
        WHERE key_value IN ${param.arrayString(values)} AND key_name = ${keyName} AND flow = ${flow}
        GROUP BY correlation_id`,
  );
  if (rows.length === 0) return undefined;
  const from = Math.max(bound.from, Math.min(...rows.map((r) => Number(r.first_ms))));
  const to = Math.min(bound.to, Math.max(...rows.map((r) => Number(r.last_ms))));
  return from > to ? undefined : { correlations: rows.map((r) => r.correlation_id), range: { from, to } };
}

/** The events of these settlements: reports and journal lines one by one, settlement lines summed per order and kind. */
export async function settlementEvents(
  client: ClickHouseClient,
  schema: Schema,
  correlationIds: readonly string[],
  bound: TimeBound,
): Promise<{ postings: SettlementPostingRow[]; lines: SettlementLineRow[] }> {
  if (correlationIds.length === 0) return { postings: [], lines: [] };
  const span = await spanOf(client, schema, correlationIds, 'correlation_id', SETTLEMENT_FLOW, bound);
  if (!span) return { postings: [], lines: [] };
  const events = (steps: readonly string[]) =>
    sql`(SELECT * FROM ${schema.table('events')}
         WHERE flow = ${SETTLEMENT_FLOW} AND step IN ${param.arrayString(steps)} AND status = 'ok'
           AND correlation_id IN ${param.arrayString(span.correlations)}
           AND occurred_at >= ${param.dateTime64(span.range.from)} AND occurred_at <= ${param.dateTime64(span.range.to)}
         LIMIT 1 BY event_id)`;
  const postings = await queryRows<SettlementPostingRow & { at: string | number }>(
    client,
    sql`SELECT correlation_id, keys['settlement_id'] AS settlement_id, toString(step) AS step, toString(system) AS system,
               toString(ifNull(amount, 0)) AS amount, toString(currency) AS currency, toUnixTimestamp64Milli(occurred_at) AS at,
               keys['journal_id'] AS journal_id, JSONExtractString(payload, 'account') AS account
        FROM ${events(ANCHOR_STEPS)}
        ORDER BY correlation_id, at, journal_id, account`,
  );
  const lines = await queryRows<SettlementLineRow & { lines: string | number }>(
    client,
    sql`SELECT correlation_id, keys['order_id'] AS order_id, keys['refund_id'] AS refund_id,
               JSONExtractString(payload, 'transaction-type') AS transaction_type, JSONExtractString(payload, 'amount-type') AS amount_type,
               JSONExtractString(payload, 'amount-description') AS amount_description, toString(currency) AS currency,
               toString(sum(ifNull(amount, 0))) AS amount, count() AS lines, toString(any(system)) AS system
        FROM ${events([LINE_STEP])}
        GROUP BY correlation_id, order_id, refund_id, transaction_type, amount_type, amount_description, currency
        ORDER BY correlation_id, order_id, transaction_type, amount_type, amount_description`,
  );
  return { postings: postings.map((p) => ({ ...p, at: Number(p.at) })), lines: lines.map((l) => ({ ...l, lines: Number(l.lines) })) };
}

/**
 * The ERP invoices of these orders (each posting once): their order_to_cash transactions from the key lookup,
 * then only those transactions' invoice postings inside their time span, clipped to `bound`.
 */
export async function invoicesForOrders(client: ClickHouseClient, schema: Schema, orderIds: readonly string[], bound: TimeBound): Promise<InvoiceRow[]> {
  if (orderIds.length === 0) return [];
  const span = await spanOf(client, schema, orderIds, 'order_id', INVOICE_FLOW, bound);
  if (!span) return [];
  return queryRows<InvoiceRow>(
    client,
    sql`SELECT keys['order_id'] AS order_id, toString(ifNull(amount, 0)) AS amount, toString(currency) AS currency
        FROM ${schema.table('events')}
        WHERE flow = ${INVOICE_FLOW} AND step = ${INVOICE_STEP} AND status = 'ok'
          AND correlation_id IN ${param.arrayString(span.correlations)}
          AND keys['order_id'] IN ${param.arrayString(orderIds)}
          AND occurred_at >= ${param.dateTime64(span.range.from)} AND occurred_at <= ${param.dateTime64(span.range.to)}
        ORDER BY order_id, occurred_at
        LIMIT 1 BY event_id`,
  );
}

/** The time span of one settlement's transaction, or undefined when Flowlens has never seen it. */
export async function settlementSpan(client: ClickHouseClient, schema: Schema, correlationId: string): Promise<TimeBound | undefined> {
  const span = await spanOf(client, schema, [correlationId], 'correlation_id', SETTLEMENT_FLOW, { from: 0, to: Number.MAX_SAFE_INTEGER });
  return span?.range;
}
