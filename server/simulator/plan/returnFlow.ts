import { hashHex, type Rng } from '../random.js';
import { stripeRefundCreated } from '../vendors/stripeMessages.js';
import { postToErp } from './erpPosting.js';
import { money, wholeSecond, type PlanContext } from './planContext.js';

/**
 * Return to refund for an online order: OMS receives the return → WMS inspects it → OMS approves the refund →
 * Stripe refunds the payment (`refund.created` webhook) → the ERP posts the credit memo → its journal lines
 * reach the ledger in the next journal export. During `refund-lost` the middleware drops some credit memos
 * without a trace: the money left the bank, and the ledger never hears of it.
 */
export function returnToRefund(context: PlanContext, rng: Rng, at: number): void {
  const paid = context.recentOrders.length > 0 ? rng.pick(context.recentOrders) : undefined;
  if (!paid) return;
  const { order } = paid;
  const n = context.nextId('refund');
  const refundId = `re_3Sim${hashHex(`re${n}`, 16)}`;
  const correlation = `rtr-${refundId}`;
  const line = order.lines[0]!;
  const amount = money(Number(line.unit_price) * line.quantity);
  const keys = { order_id: order.name, shopify_order_id: String(order.shopify_order_id), refund_id: refundId, rma_id: `RMA-${String(n).padStart(6, '0')}` };
  const base = { correlation_id: correlation, flow: 'return_to_refund', channel: 'shopify', keys };
  const received = `${correlation}:oms.return.received`;
  const receivedAt = Math.round(at);
  context.emit(rng, { ...base, event_id: received, step: 'oms.return.received', system: 'oms', sku: line.sku, quantity: line.quantity, occurred_at: receivedAt }, { kind: 'span', service: 'oms', name: 'receive return', durationMs: 20 });
  const warehouse = rng.pick(context.estate.warehouses);
  const inspectedAt = Math.round(receivedAt + 10_000 + rng.next() * 20_000);
  context.emit(rng, { ...base, event_id: `${correlation}:wms.return.inspected`, step: 'wms.return.inspected', system: 'wms', location_id: warehouse.id, sku: line.sku, quantity: line.quantity, occurred_at: inspectedAt }, { kind: 'api' });
  const approvedAt = Math.round(inspectedAt + 1_000 + rng.next() * 2_000);
  context.emit(rng, { ...base, event_id: `${correlation}:oms.refund.approved`, step: 'oms.refund.approved', system: 'oms', target_system: 'stripe', amount, currency: order.currency, occurred_at: approvedAt }, { kind: 'span', service: 'oms', name: 'approve refund', durationMs: 30, parent: received });
  const refundedAt = wholeSecond(approvedAt + 1_000 + rng.next() * 1_500);
  const refund = stripeRefundCreated({ refund_id: refundId, amount, currency: order.currency, at: refundedAt, order }, `evt_3Sim${hashHex(`refund${n}`, 16)}`);
  context.emit(rng, refund.event, { kind: 'stripe', body: refund.body }, refund.event.occurred_at + 300 + Math.round(rng.next() * 1_200));
  context.payoutRefunds.push({ amount, at: refundedAt });
  if (rng.chance(context.conditions.refundLostProbability(refundedAt))) return;
  const journalId = `JE-CM-${String(n).padStart(6, '0')}`;
  const memoAt = postToErp(context, rng, refundedAt + 1_500 + rng.next() * 1_500, 'credit_memo', { ...base, step: 'erp.credit_memo.posted', target_system: 'erp', amount, currency: order.currency, keys: { ...keys, journal_id: journalId } }, received);
  if (memoAt === undefined) return;
  const common = { journal_id: journalId, posting_date: memoAt + 400, currency: order.currency, document_type: 'credit_memo' as const, reference: refundId, description: `Refund ${order.name}` };
  context.journalBuffer.push({ ...common, line_no: 1, account: '4010', debit: amount, credit: '0.00' }, { ...common, line_no: 2, account: '1360', debit: '0.00', credit: amount });
}

/** A warehouse-to-store transfer: WMS ships it → the store receives it → the ERP posts the transfer. */
export function storeTransfer(context: PlanContext, rng: Rng, at: number): void {
  const n = context.nextId('transfer');
  const transferId = `TR-${String(n).padStart(7, '0')}`;
  const correlation = `transfer-${transferId}`;
  const from = rng.pick(context.estate.warehouses);
  const to = context.estate.pickStore(rng);
  const sku = context.estate.pickSku(rng);
  const quantity = rng.pick([6, 12, 24]);
  const base = { correlation_id: correlation, flow: 'transfer', sku, quantity, keys: { transfer_id: transferId } };
  const shippedAt = Math.round(at);
  context.emit(rng, { ...base, event_id: `${correlation}:wms.transfer.shipped`, step: 'wms.transfer.shipped', system: 'wms', target_system: 'pos', location_id: from.id, occurred_at: shippedAt }, { kind: 'api' });
  const receivedAt = Math.round(shippedAt + 30_000 + rng.next() * 60_000);
  context.emit(rng, { ...base, event_id: `${correlation}:wms.transfer.received`, step: 'wms.transfer.received', system: 'wms', location_id: to.id, region: to.region, occurred_at: receivedAt }, { kind: 'api' });
  postToErp(context, rng, receivedAt + 1_000 + rng.next() * 1_000, 'transfer', { ...base, step: 'erp.transfer.posted', target_system: 'erp', location_id: to.id });
}
