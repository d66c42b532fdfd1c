import { createHmac } from 'node:crypto';
import { fromScaled, toScaled } from '../../../collectors/files/fieldValues.js';
import type { ShopOrder, SimEvent } from '../model.js';
import { isoWithOffset, toWholeSeconds } from './textFormats.js';

/**
 * Shopify webhooks as Shopify sends them (REST payloads, https://shopify.dev/docs/api/webhooks): compact JSON,
 * ids as JSON numbers, times in the shop's zone to the second, money as decimal strings. Each builder also
 * predicts the canonical event Flowlens stores for the delivery (collectors/webhooks/shopifyMapping.ts).
 */

/** A Shopify delivery and the event Flowlens should store for it (without `payload`: the receiver attaches the body). */
export type WebhookMessage = { event: SimEvent; topic: string; webhookId: string; body: string };

const SHOP_DOMAIN = 'flowlens-sim.myshopify.com';
const API_VERSION = '2025-10';

function gid(kind: string, id: number): string {
  return `gid://shopify/${kind}/${id}`;
}

function orderEvent(order: ShopOrder, webhookId: string): Omit<SimEvent, 'step' | 'occurred_at'> {
  return {
    event_id: `shopify:${webhookId}`,
    correlation_id: `shopify-order-${order.shopify_order_id}`,
    flow: 'order_to_cash',
    system: 'shopify',
    channel: 'shopify',
    status: 'ok',
    keys: { order_id: order.name, shopify_order_id: String(order.shopify_order_id) },
  };
}

/** Line items with ids derived from the order's, so the same order always yields the same body. */
function lineItems(order: ShopOrder) {
  return order.lines.map((line, i) => {
    const id = order.shopify_order_id + i + 1;
    return {
      id,
      admin_graphql_api_id: gid('LineItem', id),
      fulfillable_quantity: line.quantity,
      fulfillment_status: null,
      name: line.sku,
      price: line.unit_price,
      quantity: line.quantity,
      requires_shipping: true,
      sku: line.sku,
      taxable: true,
      title: line.sku,
    };
  });
}

/**
 * `orders/create` for a paid order. The difference between the order total and its lines is shipping (or a
 * discount when the total is lower), so the body adds up as a real order does.
 */
export function shopifyOrderCreated(order: ShopOrder, webhookId: string): WebhookMessage {
  const created = isoWithOffset(order.created_at);
  const linesTotal = order.lines.reduce((sum, line) => sum + toScaled(line.unit_price) * BigInt(line.quantity), 0n);
  const rest = toScaled(order.total) - linesTotal;
  const total = fromScaled(toScaled(order.total));
  const orderNumber = /^#?(\d+)$/.exec(order.name)?.[1];
  const body = {
    id: order.shopify_order_id,
    admin_graphql_api_id: gid('Order', order.shopify_order_id),
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    confirmed: true,
    created_at: created,
    currency: order.currency.toUpperCase(),
    current_subtotal_price: fromScaled(linesTotal),
    current_total_price: total,
    financial_status: 'paid',
    fulfillment_status: null,
    location_id: null,
    name: order.name,
    ...(orderNumber ? { order_number: Number(orderNumber) } : {}),
    payment_gateway_names: ['stripe'],
    presentment_currency: order.currency.toUpperCase(),
    processed_at: created,
    source_name: 'web',
    subtotal_price: fromScaled(linesTotal),
    tags: '',
    taxes_included: true,
    test: false,
    total_discounts: fromScaled(rest < 0n ? -rest : 0n),
    total_line_items_price: fromScaled(linesTotal),
    total_price: total,
    updated_at: created,
    line_items: lineItems(order),
    shipping_lines:
      rest > 0n ? [{ id: order.shopify_order_id + 1000, code: 'Standard', price: fromScaled(rest), source: 'shopify', title: 'Standard' }] : [],
  };
  const event: SimEvent = {
    ...orderEvent(order, webhookId),
    step: 'shop.order.created',
    occurred_at: toWholeSeconds(order.created_at),
    amount: total,
    currency: order.currency.toUpperCase(),
  };
  return { event, topic: 'orders/create', webhookId, body: JSON.stringify(body) };
}

/** `fulfillments/create`: the order's first (and only) fulfilment, `#1001.1`, shipping every line with DHL. */
export function shopifyFulfillmentCreated(
  order: ShopOrder,
  fulfillment: { fulfillment_id: number; tracking_number: string; at: number },
  webhookId: string,
): WebhookMessage {
  const at = isoWithOffset(fulfillment.at);
  const trackingUrl = `https://www.dhl.com/track?id=${encodeURIComponent(fulfillment.tracking_number)}`;
  const body = {
    id: fulfillment.fulfillment_id,
    admin_graphql_api_id: gid('Fulfillment', fulfillment.fulfillment_id),
    created_at: at,
    name: `${order.name}.1`,
    order_id: order.shopify_order_id,
    origin_address: {},
    receipt: {},
    service: 'manual',
    shipment_status: null,
    status: 'success',
    tracking_company: 'DHL',
    tracking_number: fulfillment.tracking_number,
    tracking_numbers: [fulfillment.tracking_number],
    tracking_url: trackingUrl,
    tracking_urls: [trackingUrl],
    updated_at: at,
    line_items: lineItems(order).map(({ id, quantity, sku, name }) => ({ id, quantity, sku, name })),
  };
  const quantity = order.lines.reduce((n, line) => n + line.quantity, 0);
  const base = orderEvent(order, webhookId);
  const event: SimEvent = {
    ...base,
    step: 'shop.fulfillment.created',
    occurred_at: toWholeSeconds(fulfillment.at),
    ...(quantity > 0 ? { quantity } : {}),
    keys: { ...base.keys, fulfillment_id: String(fulfillment.fulfillment_id), tracking_number: fulfillment.tracking_number },
  };
  return { event, topic: 'fulfillments/create', webhookId, body: JSON.stringify(body) };
}

/** When the resource changed, which is when Shopify triggers the webhook: its `updated_at`, else `created_at`. */
function triggeredAt(body: string): string | undefined {
  try {
    const resource = JSON.parse(body) as { updated_at?: unknown; created_at?: unknown };
    const at = Date.parse(String(resource.updated_at ?? resource.created_at));
    return Number.isNaN(at) ? undefined : new Date(at).toISOString();
  } catch {
    return undefined;
  }
}

/**
 * The headers Shopify sends with a delivery; `X-Shopify-Hmac-Sha256` is base64 HMAC-SHA256 of the exact body
 * with the app's secret (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify).
 */
export function shopifyHeaders(message: { topic: string; webhookId: string; body: string }, secret: string): Record<string, string> {
  const triggered = triggeredAt(message.body);
  return {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': message.topic,
    'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(message.body, 'utf8').digest('base64'),
    'X-Shopify-Shop-Domain': SHOP_DOMAIN,
    'X-Shopify-API-Version': API_VERSION,
    'X-Shopify-Webhook-Id': message.webhookId,
    ...(triggered ? { 'X-Shopify-Triggered-At': triggered } : {}),
  };
}
