import type { JournalLine, Settlement, SettlementLine } from '../model.js';
import { hashHex, type Rng } from '../random.js';
import { CONTRACT_FEE_RATE } from '../scenarios.js';
import { journalLineEvent } from '../vendors/journalFile.js';
import { settlementEvents } from '../vendors/settlementFile.js';
import { stripePayoutPaid } from '../vendors/stripeMessages.js';
import { wholeSecond, type PlanContext } from './planContext.js';

/** What finance would find when matching a settlement against the ERP's posting of it. */
export type SettlementFact = {
  settlement_id: string;
  source: string;
  currency: string;
  /** Net amount the marketplace or payment provider reported (and deposited). */
  reported_net: string;
  /** What the ERP booked: gross sales, the fees it expected, and so the net it expected in the bank. */
  erp_gross: string;
  erp_fees: string;
  erp_net: string;
  /** reported_net − erp_net; zero when the settlement reconciles. */
  difference: string;
  reason?: 'fee';
  lines: number;
};

const scaled = (text: string) => Math.round(Number(text) * 100);
const fromCents = (cents: number) => (cents / 100).toFixed(2);

/**
 * Amazon's settlement for a period: every shipped order not yet settled, as principal and commission lines
 * (a few customers returned within the period: refund lines). The ERP books gross sales and the contract
 * commission; when Amazon charged a different rate (`settlement-mismatch`) the deposit does not match the
 * ERP's expected net, and finance has a difference to explain.
 */
export function settleMarketplace(context: PlanContext, rng: Rng, periodStart: number, periodEnd: number, facts: SettlementFact[]): void {
  const due = context.unsettled.filter((o) => o.shippedAt < periodEnd);
  context.unsettled = context.unsettled.filter((o) => o.shippedAt >= periodEnd);
  if (due.length === 0) return;
  const n = context.nextId('settlement');
  const settlementId = String(11_800_000_000 + n);
  const lines: SettlementLine[] = [];
  let grossCents = 0;
  let chargedFeeCents = 0;
  let contractFeeCents = 0;
  for (const order of due) {
    const common = { order_id: order.orderId, merchant_order_id: order.orderId, shipment_id: order.shipmentId, sku: order.sku, quantity: order.quantity, posted_at: wholeSecond(order.shippedAt) };
    const fee = Math.round(scaled(order.price) * context.conditions.feeRate(order.marketplace, order.shippedAt));
    const contractFee = Math.round(scaled(order.price) * CONTRACT_FEE_RATE);
    lines.push({ ...common, transaction_type: 'Order', amount_type: 'ItemPrice', amount_description: 'Principal', amount: order.price });
    lines.push({ ...common, transaction_type: 'Order', amount_type: 'ItemFees', amount_description: 'Commission', amount: fromCents(-fee) });
    grossCents += scaled(order.price);
    chargedFeeCents += fee;
    contractFeeCents += contractFee;
    if (rng.chance(0.04)) {
      // Returned within the period: Amazon refunds the principal and keeps 20 % of the commission.
      const refund = { ...common, transaction_type: 'Refund' as const, adjustment_id: `AMZ-ADJ-${hashHex(order.orderId, 16).slice(0, 10)}` };
      const kept = Math.round(fee * 0.2);
      lines.push({ ...refund, amount_type: 'ItemPrice', amount_description: 'Principal', amount: fromCents(-scaled(order.price)) });
      lines.push({ ...refund, amount_type: 'ItemFees', amount_description: 'RefundCommission', amount: fromCents(fee - kept) });
      grossCents -= scaled(order.price);
      chargedFeeCents -= fee - kept;
      contractFeeCents -= contractFee - Math.round(contractFee * 0.2);
    }
  }
  const netCents = grossCents - chargedFeeCents;
  const settlement: Settlement = {
    settlement_id: settlementId,
    marketplace: 'amazon',
    start: wholeSecond(periodStart),
    end: wholeSecond(periodEnd),
    deposit_at: wholeSecond(periodEnd + 2 * 86_400_000),
    currency: context.estate.currency,
    total: fromCents(netCents),
    lines,
  };
  const deliverAt = periodEnd + 3_000;
  for (const event of settlementEvents(settlement)) context.emit(rng, event, { kind: 'file', file: 'settlement', batch: `settlement-${settlementId}`, settlement }, deliverAt);
  const erpNet = grossCents - contractFeeCents;
  bookSettlement(context, { document_type: 'settlement', reference: settlementId, journal_id: `JE-STL-${String(n).padStart(6, '0')}`, at: deliverAt + 5_000 + Math.round(rng.next() * 3_000), currency: settlement.currency, grossCents, feeCents: contractFeeCents, feeAccount: '6810', receivable: '1410' });
  facts.push({
    settlement_id: settlementId,
    source: 'amazon',
    currency: settlement.currency,
    reported_net: fromCents(netCents),
    erp_gross: fromCents(grossCents),
    erp_fees: fromCents(contractFeeCents),
    erp_net: fromCents(erpNet),
    difference: fromCents(netCents - erpNet),
    ...(netCents !== erpNet ? { reason: 'fee' as const } : {}),
    lines: lines.length,
  });
}

/**
 * Stripe's payout for a period: charges less refunds less fees; the ERP books it from the payout report.
 * `payout.paid` is dated when the money arrives; the simulated bank credits it at once.
 */
export function stripePayout(context: PlanContext, rng: Rng, periodEnd: number, facts: SettlementFact[]): void {
  const charges = context.payoutCharges.filter((c) => c.at < periodEnd);
  const refunds = context.payoutRefunds.filter((r) => r.at < periodEnd);
  context.payoutCharges = context.payoutCharges.filter((c) => c.at >= periodEnd);
  context.payoutRefunds = context.payoutRefunds.filter((r) => r.at >= periodEnd);
  if (charges.length === 0) return;
  const grossCents = charges.reduce((s, c) => s + scaled(c.amount), 0) - refunds.reduce((s, r) => s + scaled(r.amount), 0);
  const feeCents = charges.reduce((s, c) => s + scaled(c.fee), 0);
  const n = context.nextId('payout');
  const payoutId = `po_1Sim${hashHex(`po${n}`, 16)}`;
  const at = wholeSecond(periodEnd + 2_000);
  const payout = stripePayoutPaid({ payout_id: payoutId, amount: fromCents(grossCents - feeCents), currency: context.estate.currency, at, arrival_at: at }, `evt_1Sim${hashHex(`payout${n}`, 16)}`);
  context.emit(rng, payout.event, { kind: 'stripe', body: payout.body }, payout.event.occurred_at + 500);
  bookSettlement(context, { document_type: 'payout', reference: payoutId, journal_id: `JE-PO-${String(n).padStart(6, '0')}`, at: at + 4_000 + Math.round(rng.next() * 2_000), currency: context.estate.currency, grossCents, feeCents, feeAccount: '6820', receivable: '1360' });
  facts.push({
    settlement_id: payoutId,
    source: 'stripe',
    currency: context.estate.currency,
    reported_net: fromCents(grossCents - feeCents),
    erp_gross: fromCents(grossCents),
    erp_fees: fromCents(feeCents),
    erp_net: fromCents(grossCents - feeCents),
    difference: '0.00',
    lines: charges.length + refunds.length,
  });
}

type Booking = { document_type: 'settlement' | 'payout'; reference: string; journal_id: string; at: number; currency: string; grossCents: number; feeCents: number; feeAccount: string; receivable: string };

/** The ERP's journal entry for a settlement: bank and fees debited, receivables credited with the gross. */
function bookSettlement(context: PlanContext, b: Booking): void {
  const common = { journal_id: b.journal_id, posting_date: b.at, currency: b.currency, document_type: b.document_type, reference: b.reference, description: `${b.document_type} ${b.reference}` };
  const debit = (cents: number) => (cents >= 0 ? fromCents(cents) : '0.00');
  const credit = (cents: number) => (cents < 0 ? fromCents(-cents) : '0.00');
  context.journalBuffer.push(
    { ...common, line_no: 1, account: '1200', debit: debit(b.grossCents - b.feeCents), credit: credit(b.grossCents - b.feeCents) },
    { ...common, line_no: 2, account: b.feeAccount, debit: debit(b.feeCents), credit: credit(b.feeCents) },
    { ...common, line_no: 3, account: b.receivable, debit: credit(b.grossCents), credit: debit(b.grossCents) },
  );
}

/** The ERP's journal export for a cycle: every line posted before `cycleEnd`, in one file. */
export function exportJournal(context: PlanContext, rng: Rng, cycleEnd: number): void {
  const due: JournalLine[] = context.journalBuffer.filter((l) => l.posting_date < cycleEnd);
  context.journalBuffer = context.journalBuffer.filter((l) => l.posting_date >= cycleEnd);
  if (due.length === 0) return;
  const batch = `journal-${new Date(cycleEnd).toISOString().replace(/[-:.]/g, '')}`;
  for (const line of due) context.emit(rng, journalLineEvent(line), { kind: 'file', file: 'journal', batch, line }, cycleEnd + 1_000);
}

