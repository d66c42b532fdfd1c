import { describe, expect, it } from 'vitest';
import { fixtureJson } from './fixtures/loadFixture.js';
import { onlyEvent } from './fixtures/onlyEvent.js';
import { mapStripeEvent } from './stripeMapping.js';

describe('Stripe refunds', () => {
  it('maps refund.created with the order id from metadata, so lineage reaches the Shopify order', () => {
    const event = onlyEvent(mapStripeEvent(fixtureJson('stripeRefundCreated')));
    expect(event).toMatchObject({
      event_id: 'stripe:evt_1QxR3cLkdIwHu7ixRefundCr',
      correlation_id: 'rtr-re_3QxR2bLkdIwHu7ix0Yb7Qp1A',
      flow: 'return_to_refund',
      step: 'payment.refund.created',
      system: 'stripe',
      amount: '129.00',
      currency: 'EUR',
      occurred_at: Date.parse('2026-11-29T14:06:01+01:00'),
      keys: {
        refund_id: 're_3QxR2bLkdIwHu7ix0Yb7Qp1A',
        charge_id: 'ch_3QxR2bLkdIwHu7ix0Hj6Kl8M',
        payment_id: 'pi_3QxR2bLkdIwHu7ix0Nn9Op2Q',
        balance_transaction_id: 'txn_3QxR2bLkdIwHu7ix0aB3cD4E',
        order_id: '#1001',
        shopify_order_id: '820982911946154508',
      },
    });
    expect(event.status).toBeUndefined();
    expect(JSON.parse(event.payload as string)).toMatchObject({ id: 'evt_1QxR3cLkdIwHu7ixRefundCr', type: 'refund.created' });
  });

  it('maps refund.failed to a failed business step with the failure reason', () => {
    expect(onlyEvent(mapStripeEvent(fixtureJson('stripeRefundFailed')))).toMatchObject({
      step: 'payment.refund.failed',
      status: 'failed',
      error_code: 'EXPIRED_OR_CANCELED_CARD',
      error_class: 'business',
      keys: { refund_id: 're_3QxR9zLkdIwHu7ix1Fa1Ld0Z' },
    });
  });

  it('maps refund.updated and the older charge.refund.updated name to payment.refund.updated', () => {
    for (const type of ['refund.updated', 'charge.refund.updated']) {
      expect(onlyEvent(mapStripeEvent({ ...fixtureJson('stripeRefundCreated'), type }))).toMatchObject({ step: 'payment.refund.updated', correlation_id: 'rtr-re_3QxR2bLkdIwHu7ix0Yb7Qp1A' });
    }
  });

  it('maps charge.refunded into the newest refund transaction with the refunded amount', () => {
    expect(onlyEvent(mapStripeEvent(fixtureJson('stripeChargeRefunded')))).toMatchObject({
      correlation_id: 'rtr-re_3QxR2bLkdIwHu7ix0Yb7Qp1A',
      flow: 'return_to_refund',
      step: 'payment.charge.refunded',
      amount: '129.00',
      keys: { refund_id: 're_3QxR2bLkdIwHu7ix0Yb7Qp1A', charge_id: 'ch_3QxR2bLkdIwHu7ix0Hj6Kl8M', order_id: '#1001' },
    });
  });
});

describe('Stripe charges', () => {
  it('maps charge.succeeded into the Shopify order transaction named in metadata', () => {
    expect(onlyEvent(mapStripeEvent(fixtureJson('stripeChargeSucceeded')))).toMatchObject({
      correlation_id: 'shopify-order-820982911946154508',
      flow: 'order_to_cash',
      step: 'payment.charge.succeeded',
      amount: '199.00',
      currency: 'EUR',
      keys: { charge_id: 'ch_3QxR2bLkdIwHu7ix0Hj6Kl8M', payment_id: 'pi_3QxR2bLkdIwHu7ix0Nn9Op2Q', balance_transaction_id: 'txn_3QxR2bLkdIwHu7ix0Tt1Uu2V' },
    });
  });

  it('maps a failed JPY charge: zero-decimal amount, failure code and message', () => {
    expect(onlyEvent(mapStripeEvent(fixtureJson('stripeChargeFailedJpy')))).toMatchObject({
      correlation_id: 'stripe-payment-pi_3QxS7kLkdIwHu7ix1Jq6Zz0O',
      step: 'payment.charge.failed',
      amount: '5000',
      currency: 'JPY',
      status: 'failed',
      error_code: 'CARD_DECLINED',
      error_class: 'business',
      error_message: 'Your card was declined.',
      keys: { order_id: 'JP-2001', charge_id: 'ch_3QxS7kLkdIwHu7ix1Jp5Yy9N' },
    });
  });

  it('maps charge.captured with the captured amount', () => {
    const event = fixtureJson('stripeChargeSucceeded');
    const object = { ...(event.data as { object: Record<string, unknown> }).object, amount_captured: 15000 };
    expect(onlyEvent(mapStripeEvent({ ...event, type: 'charge.captured', data: { object } }))).toMatchObject({ step: 'payment.charge.captured', amount: '150.00' });
  });
});

describe('Stripe payouts', () => {
  it('maps payout.paid to settlement_to_ledger keyed by payout, settlement and balance transaction', () => {
    expect(onlyEvent(mapStripeEvent(fixtureJson('stripePayoutPaid')))).toMatchObject({
      correlation_id: 'settlement-po_1QxT0aLkdIwHu7ixPayout01',
      flow: 'settlement_to_ledger',
      step: 'payment.payout.paid',
      amount: '12500.75',
      currency: 'EUR',
      keys: { payout_id: 'po_1QxT0aLkdIwHu7ixPayout01', settlement_id: 'po_1QxT0aLkdIwHu7ixPayout01', balance_transaction_id: 'txn_1QxT0aLkdIwHu7ixPoTxn01' },
    });
  });

  it('maps payout.failed in a three-decimal currency', () => {
    expect(onlyEvent(mapStripeEvent(fixtureJson('stripePayoutFailed')))).toMatchObject({
      step: 'payment.payout.failed',
      amount: '9.999',
      currency: 'KWD',
      status: 'failed',
      error_code: 'ACCOUNT_CLOSED',
      error_message: 'The bank account has been closed.',
    });
  });
});

describe('what the Stripe mapping does not take', () => {
  it('ignores event types it does not map', () => {
    expect(mapStripeEvent(fixtureJson('stripeCustomerCreated'))).toMatchObject({ kind: 'ignored', type: 'customer.created' });
  });

  it('refuses a body that is not a Stripe event, or an object of the wrong shape, with the reason', () => {
    expect(mapStripeEvent({ hello: 'world' })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('id') });
    const event = fixtureJson('stripeRefundCreated');
    expect(mapStripeEvent({ ...event, data: { object: { id: 're_1', currency: 'eur' } } })).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/refund.*amount/),
    });
  });
});
