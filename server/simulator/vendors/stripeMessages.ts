import { createHmac } from 'node:crypto';
import { toScaled } from '../../../collectors/files/fieldValues.js';
import { fromMinorUnits, minorUnitExponent } from '../../../collectors/webhooks/webhookMapping.js';
import type { ShopOrder, SimEvent } from '../model.js';

/**
 * Stripe events as Stripe sends them (https://docs.stripe.com/api/events/object): pretty-printed JSON, times in
 * whole Unix seconds, amounts as integers of the currency's minor unit. Each builder also predicts the canonical
 * event Flowlens stores for it (collectors/webhooks/stripeMapping.ts).
 */

/** A Stripe event body and the event Flowlens should store for it (without `payload`). */
export type StripeMessage = { event: SimEvent; body: string };

const API_VERSION = '2025-09-30.clover';

/** "1234.50" EUR → 123450; refuses an amount finer than the currency's minor unit (JPY has none). */
function minorUnits(amount: string, currency: string): number {
  const exponent = minorUnitExponent(currency);
  const scaled = toScaled(amount);
  const step = 10n ** BigInt(4 - exponent);
  if (scaled % step !== 0n) throw new RangeError(`${amount} ${currency} has more decimals than its minor unit (${exponent})`);
  return Number(scaled / step);
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** A balance transaction id paired with its object's id (ch_X → txn_X), so one entity always yields one body. */
function balanceTransaction(id: string): string {
  return `txn_${id.slice(id.indexOf('_') + 1)}`;
}

function envelope(eventId: string, type: string, createdMs: number, object: Record<string, unknown>, automatic = false): string {
  const request = automatic ? { id: null, idempotency_key: null } : { id: `req_${eventId.slice(4, 18)}`, idempotency_key: null };
  const event = { id: eventId, object: 'event', api_version: API_VERSION, created: seconds(createdMs), data: { object }, livemode: false, pending_webhooks: 1, request, type };
  return JSON.stringify(event, null, 2);
}

function base(eventId: string, step: string, createdMs: number): Pick<SimEvent, 'event_id' | 'step' | 'system' | 'occurred_at' | 'status'> {
  return { event_id: `stripe:${eventId}`, step, system: 'stripe', occurred_at: seconds(createdMs) * 1000, status: 'ok' };
}

function orderMetadata(order: ShopOrder): Record<string, string> {
  return { order_id: order.name, shopify_order_id: String(order.shopify_order_id) };
}

/**
 * `charge.succeeded` for the order's card payment, at `at`. Its metadata names the Shopify order (as the shop's
 * payment app writes it), so Flowlens puts the charge in the order's transaction `shopify-order-<id>`.
 */
export function stripeChargeSucceeded(order: ShopOrder, eventId: string, at: number): StripeMessage {
  const amount = minorUnits(order.total, order.currency);
  const currency = order.currency.toLowerCase();
  const charge = {
    id: order.charge,
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: 0,
    balance_transaction: balanceTransaction(order.charge),
    captured: true,
    created: seconds(at),
    currency,
    description: `Shopify order ${order.name}`,
    disputed: false,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: orderMetadata(order),
    outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid: true,
    payment_intent: order.payment_intent,
    payment_method_details: { card: { brand: 'visa', country: 'DE', exp_month: 8, exp_year: 2029, funding: 'credit', last4: '4242' }, type: 'card' },
    refunded: false,
    status: 'succeeded',
  };
  const event: SimEvent = {
    ...base(eventId, 'payment.charge.succeeded', at),
    correlation_id: `shopify-order-${order.shopify_order_id}`,
    flow: 'order_to_cash',
    amount: fromMinorUnits(amount, currency),
    currency: order.currency.toUpperCase(),
    keys: {
      ...orderMetadata(order),
      charge_id: order.charge,
      payment_id: order.payment_intent,
      balance_transaction_id: balanceTransaction(order.charge),
    },
  };
  return { event, body: envelope(eventId, 'charge.succeeded', at, charge) };
}

/** `refund.created` for a refund (a positive amount) of the order's charge: its own transaction, `rtr-<re_…>`. */
export function stripeRefundCreated(refund: { refund_id: string; amount: string; currency: string; at: number; order: ShopOrder }, eventId: string): StripeMessage {
  const amount = minorUnits(refund.amount, refund.currency);
  const currency = refund.currency.toLowerCase();
  const object = {
    id: refund.refund_id,
    object: 'refund',
    amount,
    balance_transaction: balanceTransaction(refund.refund_id),
    charge: refund.order.charge,
    created: seconds(refund.at),
    currency,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: orderMetadata(refund.order),
    payment_intent: refund.order.payment_intent,
    reason: 'requested_by_customer',
    receipt_number: null,
    status: 'succeeded',
  };
  const event: SimEvent = {
    ...base(eventId, 'payment.refund.created', refund.at),
    correlation_id: `rtr-${refund.refund_id}`,
    flow: 'return_to_refund',
    amount: fromMinorUnits(amount, currency),
    currency: refund.currency.toUpperCase(),
    keys: {
      ...orderMetadata(refund.order),
      refund_id: refund.refund_id,
      charge_id: refund.order.charge,
      payment_id: refund.order.payment_intent,
      balance_transaction_id: balanceTransaction(refund.refund_id),
    },
  };
  return { event, body: envelope(eventId, 'refund.created', refund.at, object) };
}

/**
 * `payout.paid` for an automatic payout created at `at`. Stripe sends it when the money arrives, so the event
 * (and what Flowlens stores) is dated `arrival_at`. The payout is the settlement: `settlement-<po_…>`.
 */
export function stripePayoutPaid(payout: { payout_id: string; amount: string; currency: string; at: number; arrival_at: number }, eventId: string): StripeMessage {
  const amount = minorUnits(payout.amount, payout.currency);
  const currency = payout.currency.toLowerCase();
  const object = {
    id: payout.payout_id,
    object: 'payout',
    amount,
    arrival_date: seconds(payout.arrival_at),
    automatic: true,
    balance_transaction: balanceTransaction(payout.payout_id),
    created: seconds(payout.at),
    currency,
    description: 'STRIPE PAYOUT',
    destination: 'ba_1SimBankAccountFlowlens',
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    reconciliation_status: 'completed',
    source_type: 'card',
    statement_descriptor: null,
    status: 'paid',
    type: 'bank_account',
  };
  const event: SimEvent = {
    ...base(eventId, 'payment.payout.paid', payout.arrival_at),
    correlation_id: `settlement-${payout.payout_id}`,
    flow: 'settlement_to_ledger',
    amount: fromMinorUnits(amount, currency),
    currency: payout.currency.toUpperCase(),
    keys: { payout_id: payout.payout_id, settlement_id: payout.payout_id, balance_transaction_id: balanceTransaction(payout.payout_id) },
  };
  return { event, body: envelope(eventId, 'payout.paid', payout.arrival_at, object, true) };
}

/**
 * The `Stripe-Signature` header Stripe sends: `t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
 * endpoint secret as its text (https://docs.stripe.com/webhooks#verify-manually).
 */
export function stripeSignatureHeader(body: string, secret: string, nowSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${nowSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${nowSeconds},v1=${signature}`;
}
