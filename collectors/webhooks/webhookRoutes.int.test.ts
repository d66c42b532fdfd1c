import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../server/http/errorMiddleware.js';
import { queryRows } from '../../server/store/queryRows.js';
import { sql } from '../../server/store/sql.js';
import { startIngestHarness, type IngestHarness } from '../../test/support/ingestHarness.js';
import { fixtureBytes } from './fixtures/loadFixture.js';
import { shopifyHmac, standardSecretKey, standardSignatureHeader, stripeSignatureHeader } from './signatures.js';
import { webhookRoutes, type IgnoredDelivery, type WebhookOptions } from './webhookRoutes.js';

const SHOPIFY_SECRETS = ['shpss_old_0123456789abcdef', 'shpss_new_0123456789abcdef'];
const STRIPE_SECRETS = ['whsec_stripe_endpoint_secret_A'];
const STANDARD_SECRETS = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'];
const STANDARD_KEY = standardSecretKey(STANDARD_SECRETS[0]!);

let harness: IngestHarness;
let server: Server;
let baseUrl: string;
const ignored: IgnoredDelivery[] = [];

beforeAll(async () => {
  harness = await startIngestHarness();
  const options: WebhookOptions = {
    shopifySecrets: SHOPIFY_SECRETS,
    stripeSecrets: STRIPE_SECRETS,
    standardSecrets: STANDARD_SECRETS,
    maxBodyBytes: 1024 * 1024,
    toleranceSeconds: 300,
    onIgnored: (delivery) => ignored.push(delivery),
  };
  const app = express();
  app.use(webhookRoutes(harness.ingestor, options));
  app.use('/small', webhookRoutes(harness.ingestor, { ...options, maxBodyBytes: 512 }));
  app.use('/unconfigured', webhookRoutes(harness.ingestor, { ...options, shopifySecrets: [], stripeSecrets: [], standardSecrets: [] }));
  app.use(errorMiddleware({ error: () => {} }));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await harness?.close();
});

async function post(path: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

function shopifyHeaders(body: Buffer, topic: string, webhookId: string, secret = SHOPIFY_SECRETS[1]!): Record<string, string> {
  return {
    'X-Shopify-Topic': topic,
    'X-Shopify-Hmac-Sha256': shopifyHmac(body, secret),
    'X-Shopify-Shop-Domain': 'acme-eu.myshopify.com',
    'X-Shopify-Webhook-Id': webhookId,
    'X-Shopify-API-Version': '2026-10',
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const stripeHeaders = (body: Buffer, t = nowSeconds()) => ({ 'Stripe-Signature': stripeSignatureHeader(body, STRIPE_SECRETS, t) });
function standardHeaders(body: Buffer, id: string, t = nowSeconds()): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': standardSignatureHeader(body, [STANDARD_KEY], id, t) };
}

/** Rows physically stored for an event id — not de-duplicated at read, so a double write would show. */
async function storedCopies(eventId: string): Promise<number> {
  await harness.flush();
  const [row] = await queryRows<{ n: string }>(harness.store.query, sql`SELECT count() AS n FROM ${harness.schema.table('events')} WHERE event_id = ${eventId}`);
  return Number(row?.n ?? 0);
}

describe('POST /webhooks/shopify', () => {
  it('stores a signed orders/create with both order keys, and a redelivery only once', async () => {
    const body = fixtureBytes('shopifyOrder');
    const first = await post('/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', 'wh-order-create-1'));
    expect(first).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 0 } });

    // Shopify retries with the same webhook id; during a rotation it may be signed with the old secret.
    const again = await post('/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', 'wh-order-create-1', SHOPIFY_SECRETS[0]));
    expect(again).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 1 } });
    expect(await storedCopies('shopify:wh-order-create-1')).toBe(1);

    const [event] = await harness.eventsWithKey('shopify-order-820982911946154508');
    expect(event).toMatchObject({
      event_id: 'shopify:wh-order-create-1',
      flow: 'order_to_cash',
      step: 'shop.order.created',
      system: 'shopify',
      currency: 'EUR',
      keys: { order_id: '#1001', shopify_order_id: '820982911946154508' },
    });
    expect(Number(event?.amount)).toBe(199);
  });

  it('stores refunds, fulfilments and inventory levels with their keys', async () => {
    for (const [topic, fixture, id] of [
      ['refunds/create', 'shopifyRefund', 'wh-refund-1'],
      ['fulfillments/create', 'shopifyFulfillment', 'wh-fulfil-1'],
      ['inventory_levels/update', 'shopifyInventoryLevel', 'wh-inventory-1'],
    ] as const) {
      const body = fixtureBytes(fixture);
      expect((await post('/webhooks/shopify', body, shopifyHeaders(body, topic, id))).status).toBe(200);
    }
    expect((await harness.eventsWithKey('509562969')).map((e) => [e.step, e.keys.order_id])).toEqual([['shop.refund.created', '820982911946154508']]);
    expect((await harness.eventsWithKey('JD014600004456678')).map((e) => [e.step, e.keys.order_id])).toEqual([['shop.fulfillment.created', '#1001']]);
    const [level] = await harness.eventsWithKey('271878346596884015');
    expect(level).toMatchObject({ step: 'channel.inventory.updated', location_id: '24826418', quantity: 7 });
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const before = await harness.countEvents();
    const body = fixtureBytes('shopifyOrder');
    const forged = await post('/webhooks/shopify', body, shopifyHeaders(body, 'orders/paid', 'wh-forged-1', 'shpss_attacker'));
    expect(forged).toMatchObject({ status: 401, json: { error: { status: 401, code: 'invalid_signature' } } });
    const tampered = Buffer.from(body.toString('utf8').replace('"199.00"', '"1.00"'));
    expect((await post('/webhooks/shopify', tampered, shopifyHeaders(body, 'orders/paid', 'wh-forged-2'))).status).toBe(401);
    const unsigned = await post('/webhooks/shopify', body, { 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Webhook-Id': 'wh-forged-3' });
    expect(unsigned).toMatchObject({ status: 401, json: { error: { code: 'missing_signature', message: expect.stringContaining('X-Shopify-Hmac-Sha256') } } });
    expect(await harness.countEvents()).toBe(before);
  });

  it('answers 400 naming a missing header, and for a payload that maps to no event', async () => {
    const body = fixtureBytes('shopifyOrder');
    const headers = shopifyHeaders(body, 'orders/paid', 'wh-x');
    delete headers['X-Shopify-Webhook-Id'];
    expect(await post('/webhooks/shopify', body, headers)).toMatchObject({ status: 400, json: { error: { code: 'missing_header', message: 'missing X-Shopify-Webhook-Id header' } } });
    const empty = Buffer.from('{"created_at":"2026-11-27T10:00:00Z"}');
    expect(await post('/webhooks/shopify', empty, shopifyHeaders(empty, 'orders/paid', 'wh-empty'))).toMatchObject({
      status: 400,
      json: { error: { code: 'unmappable_payload', message: expect.stringContaining('id') } },
    });
  });

  it('acknowledges a topic it does not map with 200, stores nothing and reports it', async () => {
    const before = await harness.countEvents();
    const body = Buffer.from('{"id":632910392,"title":"Trail Runner"}');
    const res = await post('/webhooks/shopify', body, shopifyHeaders(body, 'products/update', 'wh-product-1'));
    expect(res).toMatchObject({ status: 200, json: { accepted: 0, duplicates: 0, ignored: expect.stringContaining('products/update') } });
    expect(ignored).toContainEqual(expect.objectContaining({ source: 'shopify_webhook', type: 'products/update', deliveryId: 'wh-product-1' }));
    expect(await harness.countEvents()).toBe(before);
  });
});

describe('POST /webhooks/stripe', () => {
  it('stores a refund whose metadata order id links it to the Shopify order; a redelivery is a duplicate', async () => {
    const order = fixtureBytes('shopifyOrder');
    await post('/webhooks/shopify', order, shopifyHeaders(order, 'orders/create', 'wh-order-create-1'));
    const body = fixtureBytes('stripeRefundCreated');
    expect(await post('/webhooks/stripe', body, stripeHeaders(body))).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 0 } });
    // Stripe signs every attempt afresh: a later retry has a new timestamp and the same evt_ id.
    expect(await post('/webhooks/stripe', body, stripeHeaders(body, nowSeconds() - 60))).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 1 } });
    expect(await storedCopies('stripe:evt_1QxR3cLkdIwHu7ixRefundCr')).toBe(1);

    const linked = await harness.eventsWithKey('#1001');
    expect(linked.map((e) => [e.system, e.step])).toEqual(
      expect.arrayContaining([
        ['shopify', 'shop.order.created'],
        ['stripe', 'payment.refund.created'],
      ]),
    );
    const refund = linked.find((e) => e.system === 'stripe')!;
    expect(refund).toMatchObject({ flow: 'return_to_refund', correlation_id: 'rtr-re_3QxR2bLkdIwHu7ix0Yb7Qp1A', currency: 'EUR' });
    expect(refund.keys).toMatchObject({ refund_id: 're_3QxR2bLkdIwHu7ix0Yb7Qp1A', payment_id: 'pi_3QxR2bLkdIwHu7ix0Nn9Op2Q', shopify_order_id: '820982911946154508' });
    expect(Number(refund.amount)).toBe(129);
  });

  it('stores a zero-decimal JPY charge failure in major units', async () => {
    const body = fixtureBytes('stripeChargeFailedJpy');
    expect((await post('/webhooks/stripe', body, stripeHeaders(body))).status).toBe(200);
    const [event] = await harness.eventsWithKey('ch_3QxS7kLkdIwHu7ix1Jp5Yy9N');
    expect(event).toMatchObject({ step: 'payment.charge.failed', status: 'failed', currency: 'JPY', error_code: 'CARD_DECLINED' });
    expect(Number(event?.amount)).toBe(5000);
  });

  it('refuses a stale signature, a wrong secret and a missing header with 401, storing nothing', async () => {
    const before = await harness.countEvents();
    const body = fixtureBytes('stripePayoutPaid');
    expect(await post('/webhooks/stripe', body, stripeHeaders(body, nowSeconds() - 3600))).toMatchObject({ status: 401, json: { error: { code: 'signature_expired' } } });
    const wrong = { 'Stripe-Signature': stripeSignatureHeader(body, ['whsec_not_ours'], nowSeconds()) };
    expect(await post('/webhooks/stripe', body, wrong)).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } });
    expect(await post('/webhooks/stripe', body, {})).toMatchObject({ status: 401, json: { error: { code: 'missing_signature' } } });
    expect(await harness.countEvents()).toBe(before);
  });

  it('acknowledges an event type it does not map', async () => {
    const body = fixtureBytes('stripeCustomerCreated');
    expect(await post('/webhooks/stripe', body, stripeHeaders(body))).toMatchObject({ status: 200, json: { accepted: 0, ignored: expect.stringContaining('customer.created') } });
  });
});

describe('POST /webhooks/standard', () => {
  it('stores the canonical events of a signed message; a redelivery is all duplicates', async () => {
    const body = fixtureBytes('standardMessage');
    expect(await post('/webhooks/standard', body, standardHeaders(body, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W'))).toMatchObject({
      status: 200,
      json: { accepted: 2, duplicates: 0, rejected: 0 },
    });
    const again = await post('/webhooks/standard', body, standardHeaders(body, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W'));
    expect(again).toMatchObject({ status: 200, json: { accepted: 2, duplicates: 2 } });
    expect(await storedCopies('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W:1')).toBe(1);
    expect((await harness.eventsWithKey('JE-9001')).map((e) => e.step)).toEqual(['erp.credit_memo.posted', 'erp.journal.posted']);
  });

  it('reports a bad event at its index and keeps its good neighbour', async () => {
    const message = {
      type: 'retail.events',
      data: [
        { correlation_id: 'tr-1', flow: 'transfer', step: 'wms.transfer.shipped', system: 'wms', occurred_at: '2026-11-30T08:00:00Z', keys: { transfer_id: 'TR-1' } },
        { correlation_id: 'tr-1', flow: 'transfer', step: 'Not A Step', system: 'wms', occurred_at: '2026-11-30T08:00:01Z' },
      ],
    };
    const body = Buffer.from(JSON.stringify(message));
    const res = await post('/webhooks/standard', body, standardHeaders(body, 'msg_partial_1'));
    expect(res).toMatchObject({ status: 200, json: { accepted: 1, rejected: 1, errors: [{ index: 1, field: 'step' }] } });
    const none = Buffer.from(JSON.stringify({ type: 'retail.events', data: [message.data[1]] }));
    expect(await post('/webhooks/standard', none, standardHeaders(none, 'msg_partial_2'))).toMatchObject({ status: 400, json: { error: { code: 'invalid_events' } } });
  });

  it('refuses stale or unsigned messages with 401 and names a missing webhook-id with 400', async () => {
    const body = fixtureBytes('standardMessage');
    expect(await post('/webhooks/standard', body, standardHeaders(body, 'msg_old', nowSeconds() - 301))).toMatchObject({ status: 401, json: { error: { code: 'signature_expired' } } });
    const headers = standardHeaders(body, 'msg_x');
    expect(await post('/webhooks/standard', body, { ...headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` })).toMatchObject({ status: 401 });
    delete headers['webhook-id'];
    expect(await post('/webhooks/standard', body, headers)).toMatchObject({ status: 400, json: { error: { code: 'missing_header', message: 'missing webhook-id header' } } });
  });
});

describe('limits and configuration', () => {
  it('answers 413 for a body over the limit', async () => {
    const body = fixtureBytes('shopifyOrder');
    expect(await post('/small/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', 'wh-big'))).toMatchObject({ status: 413, json: { error: { code: 'body_too_large' } } });
  });

  it('answers 503 not_configured naming the setting while a receiver has no secret', async () => {
    const body = Buffer.from('{}');
    for (const [path, variable] of [
      ['/unconfigured/webhooks/shopify', 'FLOWLENS_SHOPIFY_WEBHOOK_SECRETS'],
      ['/unconfigured/webhooks/stripe', 'FLOWLENS_STRIPE_WEBHOOK_SECRETS'],
      ['/unconfigured/webhooks/standard', 'FLOWLENS_STANDARD_WEBHOOK_SECRETS'],
    ] as const) {
      expect(await post(path, body, {})).toMatchObject({ status: 503, json: { error: { code: 'not_configured', message: expect.stringContaining(variable) } } });
    }
  });
});
