import { describe, expect, it } from 'vitest';
import { verifyStripe } from '../../../collectors/webhooks/signatures.js';
import { mapStripeEvent } from '../../../collectors/webhooks/stripeMapping.js';
import type { ShopOrder } from '../model.js';
import { comparable, storedForm } from './storedForm.js';
import { stripeChargeSucceeded, stripePayoutPaid, stripeRefundCreated, stripeSignatureHeader, type StripeMessage } from './stripeMessages.js';

const order: ShopOrder = {
  shopify_order_id: 6104329355427,
  name: '#1042',
  created_at: Date.UTC(2026, 10, 27, 9, 0, 0),
  currency: 'EUR',
  total: '1234.50',
  lines: [{ sku: 'TR-42-BLK', quantity: 2, unit_price: '617.25' }],
  payment_intent: 'pi_3SimOrder1042PaymentInt',
  charge: 'ch_3SimOrder1042ChargeAbcd',
};

/** What the Stripe receiver stores for a body: parsed as webhookRoutes does (plain JSON), then mapped. */
function received(message: StripeMessage) {
  const mapped = mapStripeEvent(JSON.parse(message.body));
  if (mapped.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(mapped)}`);
  return storedForm(mapped.events);
}

describe('stripeChargeSucceeded', () => {
  it('lands in the Shopify order’s transaction with the amount in minor units', () => {
    const message = stripeChargeSucceeded(order, 'evt_1SimCharge1042aaaaaaaa', Date.UTC(2026, 10, 27, 9, 0, 1, 750));
    expect(received(message)).toEqual([comparable(message.event)]);
    expect(message.event).toMatchObject({
      event_id: 'stripe:evt_1SimCharge1042aaaaaaaa',
      correlation_id: 'shopify-order-6104329355427',
      step: 'payment.charge.succeeded',
      amount: '1234.50',
      currency: 'EUR',
      occurred_at: Date.UTC(2026, 10, 27, 9, 0, 1),
      keys: { order_id: '#1042', shopify_order_id: '6104329355427', charge_id: order.charge, payment_id: order.payment_intent },
    });
    expect(JSON.parse(message.body)).toMatchObject({ type: 'charge.succeeded', data: { object: { amount: 123450, currency: 'eur' } } });
  });

  it('charges JPY, a zero-decimal currency, in whole yen', () => {
    const yen = { ...order, currency: 'JPY', total: '15800', lines: [{ sku: 'TR-42-BLK', quantity: 1, unit_price: '15800' }] };
    const message = stripeChargeSucceeded(yen, 'evt_1SimChargeJpyaaaaaaaaaa', Date.UTC(2026, 10, 27, 9, 0, 1));
    expect(JSON.parse(message.body)).toMatchObject({ data: { object: { amount: 15800, currency: 'jpy' } } });
    expect(received(message)).toEqual([comparable(message.event)]);
    expect(message.event).toMatchObject({ amount: '15800', currency: 'JPY' });
  });

  it('refuses an amount finer than the currency’s minor unit', () => {
    expect(() => stripeChargeSucceeded({ ...order, currency: 'JPY', total: '158.50' }, 'evt_1SimBad', 0)).toThrow(RangeError);
  });
});

describe('stripeRefundCreated', () => {
  it('is its own return_to_refund transaction, rtr-<re_…>, linked to the order and charge', () => {
    const refund = { refund_id: 're_3SimRefund1042bbbbbbbb', amount: '617.25', currency: 'EUR', at: Date.UTC(2026, 11, 3, 14, 5, 0), order };
    const message = stripeRefundCreated(refund, 'evt_1SimRefund1042aaaaaaaa');
    expect(received(message)).toEqual([comparable(message.event)]);
    expect(message.event).toMatchObject({
      correlation_id: 'rtr-re_3SimRefund1042bbbbbbbb',
      flow: 'return_to_refund',
      step: 'payment.refund.created',
      amount: '617.25',
      keys: { refund_id: 're_3SimRefund1042bbbbbbbb', charge_id: order.charge, order_id: '#1042', shopify_order_id: '6104329355427' },
    });
  });
});

describe('stripePayoutPaid', () => {
  const payout = { payout_id: 'po_1SimPayout2026w48aaaa', amount: '12500.75', currency: 'EUR', at: Date.UTC(2026, 10, 30, 0, 0, 0), arrival_at: Date.UTC(2026, 11, 2, 0, 0, 0) };
  const message = stripePayoutPaid(payout, 'evt_1SimPayoutPaidaaaaaaaaa');

  it('is the settlement: correlated as settlement-<po_…>, dated when the money arrives', () => {
    expect(received(message)).toEqual([comparable(message.event)]);
    expect(message.event).toMatchObject({
      correlation_id: 'settlement-po_1SimPayout2026w48aaaa',
      flow: 'settlement_to_ledger',
      step: 'payment.payout.paid',
      amount: '12500.75',
      occurred_at: payout.arrival_at,
      keys: { payout_id: payout.payout_id, settlement_id: payout.payout_id },
    });
    expect(JSON.parse(message.body)).toMatchObject({ data: { object: { amount: 1250075, arrival_date: payout.arrival_at / 1000, status: 'paid' } } });
  });
});

describe('stripeSignatureHeader', () => {
  const secret = 'whsec_sim0123456789abcdefABCDEF';
  const message = stripeChargeSucceeded(order, 'evt_1SimCharge1042aaaaaaaa', Date.UTC(2026, 10, 27, 9, 0, 1));
  const now = Date.UTC(2026, 10, 27, 9, 0, 3);
  const header = stripeSignatureHeader(message.body, secret, now / 1000);

  it('is verified by the receiver with the endpoint secret, and not with another', () => {
    const body = Buffer.from(message.body, 'utf8');
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyStripe(body, header, [secret], now, 300)).toEqual({ ok: true });
    expect(verifyStripe(body, header, ['whsec_someone_else'], now, 300)).toMatchObject({ ok: false, code: 'invalid_signature' });
  });
});
