import { describe, expect, it } from 'vitest';
import { fixtureBytes } from './fixtures/loadFixture.js';
import { onlyEvent } from './fixtures/onlyEvent.js';
import { mapShopifyWebhook } from './shopifyMapping.js';
import { parseJsonExactIds } from './webhookMapping.js';

function map(topic: string, fixture: string, body: unknown = parseJsonExactIds(fixtureBytes(fixture).toString('utf8'))) {
  return mapShopifyWebhook({ topic, webhookId: 'b54557e4-8a5f-4bf7-9d70-bcd043aaaaaa', body });
}

describe('Shopify order topics', () => {
  it('maps orders/create to shop.order.created with both order ids, the exact 18-digit id and the total', () => {
    const event = onlyEvent(map('orders/create', 'shopifyOrder'));
    expect(event).toMatchObject({
      event_id: 'shopify:b54557e4-8a5f-4bf7-9d70-bcd043aaaaaa',
      correlation_id: 'shopify-order-820982911946154508',
      flow: 'order_to_cash',
      step: 'shop.order.created',
      system: 'shopify',
      channel: 'shopify',
      amount: '199.00',
      currency: 'EUR',
      occurred_at: '2026-11-27T10:00:00+01:00',
      keys: { order_id: '#1001', shopify_order_id: '820982911946154508' },
    });
    expect(JSON.parse(event.payload as string)).toMatchObject({ name: '#1001', id: '820982911946154508' });
  });

  it.each([
    ['orders/paid', 'shop.order.paid'],
    ['orders/cancelled', 'shop.order.cancelled'],
    ['orders/fulfilled', 'shop.order.fulfilled'],
  ])('maps %s to %s at the update time', (topic, step) => {
    const event = onlyEvent(map(topic, 'shopifyOrder'));
    expect(event).toMatchObject({ step, correlation_id: 'shopify-order-820982911946154508', occurred_at: '2026-11-27T10:00:02+01:00' });
  });

  it('uses the cancellation time and reason for orders/cancelled', () => {
    const body = { ...(parseJsonExactIds(fixtureBytes('shopifyOrder').toString('utf8')) as object), cancelled_at: '2026-11-27T12:00:00+01:00', cancel_reason: 'customer' };
    const event = onlyEvent(map('orders/cancelled', 'shopifyOrder', body));
    expect(event).toMatchObject({ occurred_at: '2026-11-27T12:00:00+01:00', error_message: 'cancelled: customer' });
    expect(event.status).toBeUndefined(); // the cancellation itself succeeded
  });

  it('refuses an order without an id, naming the field', () => {
    const result = map('orders/create', 'shopifyOrder', { name: '#1', created_at: '2026-11-27T10:00:00Z' });
    expect(result).toMatchObject({ kind: 'invalid', message: expect.stringContaining('id') });
  });
});

describe('Shopify refunds/create', () => {
  it('maps to shop.refund.created with refund and order keys and the money actually returned', () => {
    const event = onlyEvent(map('refunds/create', 'shopifyRefund'));
    expect(event).toMatchObject({
      event_id: 'shopify:b54557e4-8a5f-4bf7-9d70-bcd043aaaaaa',
      correlation_id: 'shopify-refund-509562969',
      flow: 'return_to_refund',
      step: 'shop.refund.created',
      amount: '129.00', // the failed 5.00 transaction returned nothing
      currency: 'EUR',
      quantity: 1,
      sku: 'TR-42-BLK',
      location_id: '24826418',
      occurred_at: '2026-11-29T14:05:10+01:00',
      keys: { refund_id: '509562969', order_id: '820982911946154508', shopify_order_id: '820982911946154508' },
    });
  });

  it('leaves amount out for a refund of items only', () => {
    const body = { ...(parseJsonExactIds(fixtureBytes('shopifyRefund').toString('utf8')) as object), transactions: [] };
    const event = onlyEvent(map('refunds/create', 'shopifyRefund', body));
    expect(event.amount).toBeUndefined();
    expect(event.currency).toBeUndefined();
  });
});

describe('Shopify fulfilments', () => {
  it('maps fulfillments/create into the order correlation with the order name from the fulfilment name', () => {
    const event = onlyEvent(map('fulfillments/create', 'shopifyFulfillment'));
    expect(event).toMatchObject({
      correlation_id: 'shopify-order-820982911946154508',
      flow: 'order_to_cash',
      step: 'shop.fulfillment.created',
      location_id: '24826418',
      quantity: 3,
      occurred_at: '2026-11-28T09:12:30+01:00',
      keys: { order_id: '#1001', shopify_order_id: '820982911946154508', fulfillment_id: '1069019867', tracking_number: 'JD014600004456678' },
    });
  });

  it('marks a failed fulfilment as a failed business step', () => {
    const body = { ...(parseJsonExactIds(fixtureBytes('shopifyFulfillment').toString('utf8')) as object), status: 'failure' };
    expect(onlyEvent(map('fulfillments/update', 'shopifyFulfillment', body))).toMatchObject({
      step: 'shop.fulfillment.updated',
      status: 'failed',
      error_code: 'FULFILLMENT_FAILURE',
      error_class: 'business',
    });
  });
});

describe('Shopify inventory_levels/update', () => {
  it('maps to channel.inventory.updated with location, available quantity and the inventory item key', () => {
    const event = onlyEvent(map('inventory_levels/update', 'shopifyInventoryLevel'));
    expect(event).toMatchObject({
      flow: 'inventory_sync',
      step: 'channel.inventory.updated',
      system: 'shopify',
      channel: 'shopify',
      location_id: '24826418',
      quantity: 7,
      occurred_at: '2026-11-27T10:00:05+01:00',
      keys: { inventory_item_id: '271878346596884015' },
    });
    expect(event.correlation_id).toBe(`shopify-inventory-271878346596884015-24826418-${Date.parse('2026-11-27T10:00:05+01:00')}`);
  });
});

describe('topics Flowlens does not map', () => {
  it('are ignored with the reason, not refused', () => {
    expect(map('products/update', 'shopifyOrder')).toMatchObject({ kind: 'ignored', type: 'products/update', reason: expect.stringContaining('not mapped') });
    expect(map('constructor', 'shopifyOrder')).toMatchObject({ kind: 'ignored' });
  });
});
