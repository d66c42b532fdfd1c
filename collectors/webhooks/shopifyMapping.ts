import { z } from 'zod';
import type { CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';
import { describeIssues, keysOf, sumDecimals, vendorPayload, type MapResult } from './webhookMapping.js';

/**
 * Shopify webhook topics → canonical events (pure). Orders and fulfilments belong to the order's order_to_cash
 * transaction (`shopify-order-<id>`); a refund is its own return_to_refund transaction carrying the order it
 * refunds; an inventory level update is a channel-side inventory_sync step. Every event carries
 * `shopify_order_id` (the numeric id) where the payload knows it, and `order_id` (the order name, e.g. #1001,
 * or the numeric id when the payload has no name), so the Stripe and ERP sides can link by either.
 * Payload shapes: https://shopify.dev/docs/api/webhooks (REST payloads; ids are JSON numbers).
 */

/**
 * One verified delivery. The shop domain (X-Shopify-Shop-Domain) is not put on events: as a key it would link
 * every event of the shop in lineage, and `channel` names the sales channel, not the shop.
 */
export type ShopifyDelivery = { topic: string; webhookId: string; body: unknown };

const SYSTEM = 'shopify';
const CHANNEL = 'shopify';

/** Numeric Shopify id: a JSON number, or a digit string (ids beyond 2^53 arrive as strings, see parseJsonExactIds). */
const shopifyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a numeric Shopify id')]).transform(String);
const money = z.union([z.string(), z.number()]).transform(String);
const time = z.string().min(1);
const lineItem = z.looseObject({ quantity: z.number().optional(), sku: z.string().nullish() });

const orderSchema = z.looseObject({
  id: shopifyId,
  name: z.string().nullish(),
  total_price: money.nullish(),
  currency: z.string().nullish(),
  created_at: time,
  updated_at: time.nullish(),
  cancelled_at: time.nullish(),
  cancel_reason: z.string().nullish(),
  location_id: shopifyId.nullish(),
  line_items: z.array(lineItem).nullish(),
});

const refundSchema = z.looseObject({
  id: shopifyId,
  order_id: shopifyId,
  created_at: time,
  processed_at: time.nullish(),
  transactions: z
    .array(z.looseObject({ kind: z.string().nullish(), status: z.string().nullish(), amount: money.nullish(), currency: z.string().nullish() }))
    .nullish(),
  refund_line_items: z
    .array(z.looseObject({ quantity: z.number().optional(), location_id: shopifyId.nullish(), line_item: lineItem.nullish() }))
    .nullish(),
});

const fulfillmentSchema = z.looseObject({
  id: shopifyId,
  order_id: shopifyId,
  name: z.string().nullish(),
  status: z.string().nullish(),
  created_at: time,
  updated_at: time.nullish(),
  location_id: shopifyId.nullish(),
  tracking_number: z.string().nullish(),
  line_items: z.array(lineItem).nullish(),
});

const inventoryLevelSchema = z.looseObject({
  inventory_item_id: shopifyId,
  location_id: shopifyId,
  available: z.number().int().nullish(),
  updated_at: time,
});

const ORDER_STEPS = new Map([
  ['orders/create', 'shop.order.created'],
  ['orders/paid', 'shop.order.paid'],
  ['orders/cancelled', 'shop.order.cancelled'],
  ['orders/fulfilled', 'shop.order.fulfilled'],
]);
const FULFILLMENT_STEPS = new Map([
  ['fulfillments/create', 'shop.fulfillment.created'],
  ['fulfillments/update', 'shop.fulfillment.updated'],
]);

/** The topics this mapping turns into events; any other topic is acknowledged and ignored. */
export const SHOPIFY_TOPICS: readonly string[] = [...ORDER_STEPS.keys(), 'refunds/create', ...FULFILLMENT_STEPS.keys(), 'inventory_levels/update'];

export function mapShopifyWebhook(delivery: ShopifyDelivery): MapResult {
  const { topic } = delivery;
  const orderStep = ORDER_STEPS.get(topic);
  if (orderStep) return mapOrder(delivery, orderStep);
  const fulfillmentStep = FULFILLMENT_STEPS.get(topic);
  if (fulfillmentStep) return mapFulfillment(delivery, fulfillmentStep);
  if (topic === 'refunds/create') return mapRefund(delivery);
  if (topic === 'inventory_levels/update') return mapInventoryLevel(delivery);
  return { kind: 'ignored', type: topic, reason: `Shopify topic ${topic} is not mapped to a flow step (mapped: ${SHOPIFY_TOPICS.join(', ')})` };
}

function base(delivery: ShopifyDelivery): Pick<CanonicalEventInput, 'event_id' | 'system' | 'channel' | 'payload'> {
  // One delivery is one event: Shopify re-sends a failed delivery with the same X-Shopify-Webhook-Id.
  return { event_id: `shopify:${delivery.webhookId}`, system: SYSTEM, channel: CHANNEL, payload: vendorPayload(delivery.body) };
}

function mapOrder(delivery: ShopifyDelivery, step: string): MapResult {
  const parsed = orderSchema.safeParse(delivery.body);
  if (!parsed.success) return { kind: 'invalid', message: describeIssues(`Shopify ${delivery.topic} payload`, parsed.error) };
  const order = parsed.data;
  const occurredAt =
    delivery.topic === 'orders/create' ? order.created_at : delivery.topic === 'orders/cancelled' ? (order.cancelled_at ?? order.updated_at ?? order.created_at) : (order.updated_at ?? order.created_at);
  const event: CanonicalEventInput = {
    ...base(delivery),
    correlation_id: `shopify-order-${order.id}`,
    flow: 'order_to_cash',
    step,
    occurred_at: occurredAt,
    keys: keysOf({ order_id: order.name ?? order.id, shopify_order_id: order.id }),
  };
  if (order.total_price != null && order.currency) Object.assign(event, { amount: order.total_price, currency: order.currency.toUpperCase() });
  if (order.location_id) event.location_id = order.location_id;
  if (delivery.topic === 'orders/cancelled' && order.cancel_reason) event.error_message = `cancelled: ${order.cancel_reason}`;
  return { kind: 'events', events: [event] };
}

function mapRefund(delivery: ShopifyDelivery): MapResult {
  const parsed = refundSchema.safeParse(delivery.body);
  if (!parsed.success) return { kind: 'invalid', message: describeIssues('Shopify refunds/create payload', parsed.error) };
  const refund = parsed.data;
  // Money actually returned: the successful refund transactions (a refund of items alone has none).
  const paid = (refund.transactions ?? []).filter((t) => t.kind === 'refund' && t.status === 'success' && t.amount != null);
  const amount = sumDecimals(paid.map((t) => t.amount!));
  const currency = paid.find((t) => t.currency)?.currency?.toUpperCase();
  const lines = refund.refund_line_items ?? [];
  const skus = [...new Set(lines.map((l) => l.line_item?.sku).filter((s): s is string => !!s))];
  const quantity = lines.reduce((n, l) => n + (l.quantity ?? 0), 0);
  const event: CanonicalEventInput = {
    ...base(delivery),
    correlation_id: `shopify-refund-${refund.id}`,
    flow: 'return_to_refund',
    step: 'shop.refund.created',
    occurred_at: refund.processed_at ?? refund.created_at,
    keys: keysOf({ refund_id: refund.id, order_id: refund.order_id, shopify_order_id: refund.order_id }),
  };
  if (amount !== undefined && currency) Object.assign(event, { amount, currency });
  if (quantity > 0) event.quantity = quantity;
  if (skus.length === 1) event.sku = skus[0];
  const location = lines.find((l) => l.location_id)?.location_id;
  if (location) event.location_id = location;
  return { kind: 'events', events: [event] };
}

function mapFulfillment(delivery: ShopifyDelivery, step: string): MapResult {
  const parsed = fulfillmentSchema.safeParse(delivery.body);
  if (!parsed.success) return { kind: 'invalid', message: describeIssues(`Shopify ${delivery.topic} payload`, parsed.error) };
  const f = parsed.data;
  // A fulfilment is named after its order plus a sequence (#1001.1), which gives the order name.
  const orderName = /^(.+)\.\d+$/.exec(f.name ?? '')?.[1];
  const failed = f.status === 'failure' || f.status === 'error';
  const event: CanonicalEventInput = {
    ...base(delivery),
    correlation_id: `shopify-order-${f.order_id}`,
    flow: 'order_to_cash',
    step,
    occurred_at: f.updated_at ?? f.created_at,
    keys: keysOf({ order_id: orderName ?? f.order_id, shopify_order_id: f.order_id, fulfillment_id: f.id, tracking_number: f.tracking_number }),
  };
  if (f.location_id) event.location_id = f.location_id;
  const quantity = (f.line_items ?? []).reduce((n, l) => n + (l.quantity ?? 0), 0);
  if (quantity > 0) event.quantity = quantity;
  if (failed) Object.assign(event, { status: 'failed', error_code: `FULFILLMENT_${f.status!.toUpperCase()}`, error_class: 'business' });
  return { kind: 'events', events: [event] };
}

function mapInventoryLevel(delivery: ShopifyDelivery): MapResult {
  const parsed = inventoryLevelSchema.safeParse(delivery.body);
  if (!parsed.success) return { kind: 'invalid', message: describeIssues('Shopify inventory_levels/update payload', parsed.error) };
  const level = parsed.data;
  // Shopify names no movement: each (item, location, update time) is one published level. `quantity` is the
  // level now available to sell there (Shopify does not send the delta); null means the item is not tracked.
  const event: CanonicalEventInput = {
    ...base(delivery),
    correlation_id: `shopify-inventory-${level.inventory_item_id}-${level.location_id}-${Date.parse(level.updated_at) || level.updated_at}`,
    flow: 'inventory_sync',
    step: 'channel.inventory.updated',
    location_id: level.location_id,
    occurred_at: level.updated_at,
    keys: keysOf({ inventory_item_id: level.inventory_item_id }),
  };
  if (level.available != null) event.quantity = level.available;
  return { kind: 'events', events: [event] };
}
