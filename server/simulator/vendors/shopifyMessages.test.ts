import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import type { DecodedRecord, EventIngestor } from '../../../collectors/pipeline/eventIngestor.js';
import { webhookRoutes } from '../../../collectors/webhooks/webhookRoutes.js';
import { errorMiddleware } from '../../http/errorMiddleware.js';
import { mapShopifyWebhook } from '../../../collectors/webhooks/shopifyMapping.js';
import { SHOPIFY_HMAC_HEADER, verifyShopify } from '../../../collectors/webhooks/signatures.js';
import { parseJsonExactIds } from '../../../collectors/webhooks/webhookMapping.js';
import type { ShopOrder } from '../model.js';
import { shopifyFulfillmentCreated, shopifyHeaders, shopifyOrderCreated, type WebhookMessage } from './shopifyMessages.js';
import { comparable, storedForm } from './storedForm.js';

const order: ShopOrder = {
  shopify_order_id: 6104329355427,
  name: '#1042',
  // 10:00:00.123 in Berlin: Shopify reports whole seconds.
  created_at: Date.UTC(2026, 10, 27, 9, 0, 0, 123),
  currency: 'EUR',
  total: '1234.5',
  lines: [
    { sku: 'TR-42-BLK', quantity: 2, unit_price: '579.00' },
    { sku: 'MS-M', quantity: 2, unit_price: '25.00' },
  ],
  payment_intent: 'pi_3SimOrder1042PaymentInt',
  charge: 'ch_3SimOrder1042ChargeAbcd',
};

/** What the Shopify receiver stores for a delivery: the body parsed as webhookRoutes does, then mapped. */
function received(message: WebhookMessage) {
  const mapped = mapShopifyWebhook({ topic: message.topic, webhookId: message.webhookId, body: parseJsonExactIds(message.body) });
  if (mapped.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(mapped)}`);
  return storedForm(mapped.events);
}

describe('shopifyOrderCreated', () => {
  const message = shopifyOrderCreated(order, '8c1c3f1e-2b7a-4a8e-9a51-0d7c5b2f1a01');

  it('is stored by the real Shopify mapping exactly as predicted', () => {
    expect(message.topic).toBe('orders/create');
    expect(received(message)).toEqual([comparable(message.event)]);
    expect(message.event).toMatchObject({
      event_id: 'shopify:8c1c3f1e-2b7a-4a8e-9a51-0d7c5b2f1a01',
      correlation_id: 'shopify-order-6104329355427',
      occurred_at: Date.UTC(2026, 10, 27, 9, 0, 0),
      amount: '1234.50',
      keys: { order_id: '#1042', shopify_order_id: '6104329355427' },
    });
  });

  it('reads like a Shopify order: local time with offset, lines, and shipping making up the total', () => {
    const body = JSON.parse(message.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: 6104329355427,
      name: '#1042',
      order_number: 1042,
      created_at: '2026-11-27T10:00:00+01:00',
      currency: 'EUR',
      total_price: '1234.50',
      subtotal_price: '1208.00',
      total_discounts: '0.00',
      financial_status: 'paid',
      line_items: [
        { sku: 'TR-42-BLK', quantity: 2, price: '579.00' },
        { sku: 'MS-M', quantity: 2, price: '25.00' },
      ],
      shipping_lines: [{ price: '26.50' }],
    });
  });

  it('writes summer times with the summer offset and a lower total as a discount', () => {
    const summer = shopifyOrderCreated({ ...order, created_at: Date.UTC(2026, 6, 1, 8, 30), total: '1100.00' }, 'w-2');
    expect(JSON.parse(summer.body)).toMatchObject({ created_at: '2026-07-01T10:30:00+02:00', total_discounts: '108.00', shipping_lines: [] });
    expect(received(summer)).toEqual([comparable(summer.event)]);
  });
});

describe('shopifyFulfillmentCreated', () => {
  const fulfillment = { fulfillment_id: 5212345678901, tracking_number: 'JD014600004456678', at: Date.UTC(2026, 10, 28, 8, 12, 30, 900) };
  const message = shopifyFulfillmentCreated(order, fulfillment, '8c1c3f1e-2b7a-4a8e-9a51-0d7c5b2f1a02');

  it('is stored in the order’s transaction exactly as predicted', () => {
    expect(message.topic).toBe('fulfillments/create');
    expect(received(message)).toEqual([comparable(message.event)]);
    expect(message.event).toMatchObject({
      correlation_id: 'shopify-order-6104329355427',
      step: 'shop.fulfillment.created',
      quantity: 4,
      occurred_at: Date.UTC(2026, 10, 28, 8, 12, 30),
      keys: { order_id: '#1042', shopify_order_id: '6104329355427', fulfillment_id: '5212345678901', tracking_number: 'JD014600004456678' },
    });
  });

  it('names the fulfilment after its order, as Shopify does', () => {
    expect(JSON.parse(message.body)).toMatchObject({ name: '#1042.1', order_id: 6104329355427, status: 'success', created_at: '2026-11-28T09:12:30+01:00' });
  });
});

describe('shopifyHeaders', () => {
  const secret = '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';
  const message = shopifyOrderCreated(order, '8c1c3f1e-2b7a-4a8e-9a51-0d7c5b2f1a03');
  const headers = shopifyHeaders(message, secret);

  it('signs the exact body so the receiver verifies it with the right secret only', () => {
    const body = Buffer.from(message.body, 'utf8');
    expect(verifyShopify(body, headers[SHOPIFY_HMAC_HEADER], [secret])).toEqual({ ok: true });
    expect(verifyShopify(body, headers[SHOPIFY_HMAC_HEADER], ['shpss_not_the_shop_secret'])).toMatchObject({ ok: false, code: 'invalid_signature' });
  });

  it('names the topic, delivery, shop and trigger time', () => {
    expect(headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Webhook-Id': '8c1c3f1e-2b7a-4a8e-9a51-0d7c5b2f1a03',
      'X-Shopify-Shop-Domain': 'flowlens-sim.myshopify.com',
      'X-Shopify-Triggered-At': '2026-11-27T09:00:00.000Z',
    });
  });
});

describe('a delivery to the real /webhooks/shopify route', () => {
  it('is verified, mapped and handed to ingest as the predicted event', async () => {
    const secret = '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';
    const records: DecodedRecord[] = [];
    // A fake at the ingest port: it records what the route would store and answers as a durable commit.
    const ingestor = {
      ingest: async (_source: string, given: readonly DecodedRecord[]) => {
        records.push(...given);
        return { kind: 'stored', response: { accepted: given.length, duplicates: 0, rejected: 0, errors: [], errors_truncated: false } };
      },
    } as unknown as EventIngestor;
    const app = express();
    app.use(webhookRoutes(ingestor, { shopifySecrets: [secret], stripeSecrets: [], standardSecrets: [], maxBodyBytes: 1024 * 1024, toleranceSeconds: 300 }));
    app.use(errorMiddleware({ error: () => {} }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    try {
      const message = shopifyOrderCreated(order, '8c1c3f1e-2b7a-4a8e-9a51-0d7c5b2f1a04');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`;
      const res = await fetch(url, { method: 'POST', body: message.body, headers: shopifyHeaders(message, secret) });
      expect(res.status).toBe(200);
      const values = records.map((record) => ('value' in record ? record.value : record)) as Parameters<typeof storedForm>[0];
      expect(storedForm(values)).toEqual([comparable(message.event)]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
