import { z } from 'zod';
import type { CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';
import { describeIssues, fromMinorUnits, keysOf, vendorPayload, type MapResult } from './webhookMapping.js';

/**
 * Stripe events → canonical events (pure). https://docs.stripe.com/api/events/object
 *
 * - Refunds (`refund.*`, `charge.refunded`): return_to_refund, correlation `rtr-<re_…>` — the convention the
 *   middleware's credit-memo step uses (docs/semantic-conventions.md), so both land in one transaction.
 * - Charges: order_to_cash, in the Shopify order's correlation when the charge's metadata names it
 *   (`shopify_order_id`), else `stripe-payment-<pi_… or ch_…>`.
 * - Payouts: settlement_to_ledger, correlation `settlement-<po_…>`: the payout is the settlement, and an ERP journal
 *   posts it with the po_ id as reference, which the journal receiver correlates as `settlement-<reference>` too.
 * Keys: refund_id, charge_id, payment_id (the PaymentIntent), payout_id, balance_transaction_id, and the
 * retailer's order from `metadata.order_id` / `metadata.shopify_order_id`, so lineage walks Stripe refund →
 * Shopify order → ERP journal. Amounts are converted from minor units with the currency's exponent.
 */

const SYSTEM = 'stripe';

/** An expandable reference: the id, or the expanded object carrying it. */
const ref = z
  .union([z.string(), z.looseObject({ id: z.string() })])
  .nullish()
  .transform((v) => (typeof v === 'string' ? v : v?.id));
const metadata = z.record(z.string(), z.unknown()).nullish();
const minor = z.number().int();
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code');

const refundSchema = z.looseObject({
  id: z.string().min(1),
  amount: minor,
  currency,
  charge: ref,
  payment_intent: ref,
  balance_transaction: ref,
  status: z.string().nullish(),
  failure_reason: z.string().nullish(),
  metadata,
});

const chargeSchema = z.looseObject({
  id: z.string().min(1),
  amount: minor,
  amount_captured: minor.nullish(),
  amount_refunded: minor.nullish(),
  currency,
  payment_intent: ref,
  balance_transaction: ref,
  failure_code: z.string().nullish(),
  failure_message: z.string().nullish(),
  metadata,
  refunds: z.looseObject({ data: z.array(z.looseObject({ id: z.string() })).nullish() }).nullish(),
});

const payoutSchema = z.looseObject({
  id: z.string().min(1),
  amount: minor,
  currency,
  balance_transaction: ref,
  failure_code: z.string().nullish(),
  failure_message: z.string().nullish(),
  metadata,
});

const eventSchema = z.looseObject({
  id: z.string().regex(/^evt_\w+$/, 'must be a Stripe event id (evt_…)'),
  type: z.string().min(1),
  created: z.number().int().positive(),
  data: z.looseObject({ object: z.looseObject({}) }),
});

type StripeEvent = z.infer<typeof eventSchema>;
type Kind = 'refund' | 'charge' | 'payout';

const TYPES = new Map<string, { kind: Kind; step: string }>([
  ['refund.created', { kind: 'refund', step: 'payment.refund.created' }],
  ['refund.updated', { kind: 'refund', step: 'payment.refund.updated' }],
  ['refund.failed', { kind: 'refund', step: 'payment.refund.failed' }],
  // Name of refund.updated in API versions before 2022-11-15.
  ['charge.refund.updated', { kind: 'refund', step: 'payment.refund.updated' }],
  ['charge.succeeded', { kind: 'charge', step: 'payment.charge.succeeded' }],
  ['charge.failed', { kind: 'charge', step: 'payment.charge.failed' }],
  ['charge.captured', { kind: 'charge', step: 'payment.charge.captured' }],
  ['charge.refunded', { kind: 'charge', step: 'payment.charge.refunded' }],
  ['payout.created', { kind: 'payout', step: 'payment.payout.created' }],
  ['payout.paid', { kind: 'payout', step: 'payment.payout.paid' }],
  ['payout.failed', { kind: 'payout', step: 'payment.payout.failed' }],
]);

/** The event types this mapping turns into events; any other type is acknowledged and ignored. */
export const STRIPE_EVENT_TYPES: readonly string[] = [...TYPES.keys()];

export function mapStripeEvent(body: unknown): MapResult {
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', message: describeIssues('Stripe event', parsed.error) };
  const event = parsed.data;
  const mapping = TYPES.get(event.type);
  if (!mapping) return { kind: 'ignored', type: event.type, reason: `Stripe event type ${event.type} is not mapped to a flow step` };
  if (mapping.kind === 'refund') return mapRefund(event, mapping.step);
  if (mapping.kind === 'charge') return mapCharge(event, mapping.step);
  return mapPayout(event, mapping.step);
}

function base(event: StripeEvent, step: string): Pick<CanonicalEventInput, 'event_id' | 'system' | 'step' | 'occurred_at' | 'payload'> {
  // Stripe re-sends an event with the same evt_ id, so a redelivery is the same canonical event.
  return { event_id: `stripe:${event.id}`, system: SYSTEM, step, occurred_at: event.created * 1000, payload: vendorPayload(event) };
}

function orderKeys(meta: Record<string, unknown> | null | undefined): Record<string, string> {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  return keysOf({ order_id: text(meta?.order_id), shopify_order_id: text(meta?.shopify_order_id) });
}

function money(amountMinor: number, code: string): { amount: string; currency: string } {
  return { amount: fromMinorUnits(amountMinor, code), currency: code.toUpperCase() };
}

function invalidObject(event: StripeEvent, kind: Kind, error: z.ZodError): MapResult {
  return { kind: 'invalid', message: describeIssues(`Stripe ${event.type} event: data.object (a ${kind})`, error) };
}

function mapRefund(event: StripeEvent, step: string): MapResult {
  const parsed = refundSchema.safeParse(event.data.object);
  if (!parsed.success) return invalidObject(event, 'refund', parsed.error);
  const refund = parsed.data;
  const failed = event.type === 'refund.failed' || refund.status === 'failed' || refund.status === 'canceled';
  const mapped: CanonicalEventInput = {
    ...base(event, step),
    correlation_id: `rtr-${refund.id}`,
    flow: 'return_to_refund',
    ...money(refund.amount, refund.currency),
    keys: {
      ...orderKeys(refund.metadata),
      ...keysOf({ refund_id: refund.id, charge_id: refund.charge, payment_id: refund.payment_intent, balance_transaction_id: refund.balance_transaction }),
    },
  };
  if (failed) Object.assign(mapped, { status: 'failed', error_code: (refund.failure_reason ?? refund.status ?? 'failed').toUpperCase(), error_class: 'business' });
  return { kind: 'events', events: [mapped] };
}

function mapCharge(event: StripeEvent, step: string): MapResult {
  const parsed = chargeSchema.safeParse(event.data.object);
  if (!parsed.success) return invalidObject(event, 'charge', parsed.error);
  const charge = parsed.data;
  const keys = {
    ...orderKeys(charge.metadata),
    ...keysOf({ charge_id: charge.id, payment_id: charge.payment_intent, balance_transaction_id: charge.balance_transaction }),
  };
  if (event.type === 'charge.refunded') {
    // The newest refund comes first; without it (refunds not expanded) the charge is its own correlation.
    const latest = charge.refunds?.data?.[0]?.id;
    if (latest) keys.refund_id = latest;
    const refunded: CanonicalEventInput = {
      ...base(event, step),
      correlation_id: latest ? `rtr-${latest}` : `stripe-charge-refunds-${charge.id}`,
      flow: 'return_to_refund',
      ...money(charge.amount_refunded ?? charge.amount, charge.currency),
      keys,
    };
    return { kind: 'events', events: [refunded] };
  }
  const amount = event.type === 'charge.captured' ? (charge.amount_captured ?? charge.amount) : charge.amount;
  const mapped: CanonicalEventInput = {
    ...base(event, step),
    correlation_id: keys.shopify_order_id ? `shopify-order-${keys.shopify_order_id}` : `stripe-payment-${charge.payment_intent ?? charge.id}`,
    flow: 'order_to_cash',
    ...money(amount, charge.currency),
    keys,
  };
  if (event.type === 'charge.failed') {
    Object.assign(mapped, { status: 'failed', error_code: (charge.failure_code ?? 'charge_failed').toUpperCase(), error_class: 'business' });
    if (charge.failure_message) mapped.error_message = charge.failure_message.slice(0, 4096);
  }
  return { kind: 'events', events: [mapped] };
}

function mapPayout(event: StripeEvent, step: string): MapResult {
  const parsed = payoutSchema.safeParse(event.data.object);
  if (!parsed.success) return invalidObject(event, 'payout', parsed.error);
  const payout = parsed.data;
  const mapped: CanonicalEventInput = {
    ...base(event, step),
    correlation_id: `settlement-${payout.id}`,
    flow: 'settlement_to_ledger',
    ...money(payout.amount, payout.currency),
    keys: keysOf({ payout_id: payout.id, settlement_id: payout.id, balance_transaction_id: payout.balance_transaction }),
  };
  if (event.type === 'payout.failed') {
    Object.assign(mapped, { status: 'failed', error_code: (payout.failure_code ?? 'payout_failed').toUpperCase(), error_class: 'business' });
    if (payout.failure_message) mapped.error_message = payout.failure_message.slice(0, 4096);
  }
  return { kind: 'events', events: [mapped] };
}
