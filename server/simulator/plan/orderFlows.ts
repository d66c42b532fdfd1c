import type { ShopOrder, SimEvent } from '../model.js';
import { hashHex, type Rng } from '../random.js';
import { shopifyFulfillmentCreated, shopifyOrderCreated } from '../vendors/shopifyMessages.js';
import { stripeChargeSucceeded } from '../vendors/stripeMessages.js';
import { postToErp } from './erpPosting.js';
import { money, wholeSecond, type PlanContext } from './planContext.js';

/** Stripe's card fee on a charge: 1.4 % + €0.25 (EEA cards). */
export function stripeFee(amount: string): string {
  return money(Number(amount) * 0.014 + 0.25);
}

/**
 * An online order, order to cash: Shopify `orders/create` → Stripe `charge.succeeded` → OMS releases it to the
 * warehouse (span) → WMS ships it (business-event API) → Shopify `fulfillments/create` → the ERP posts the
 * invoice. Kept for later returns and for the Stripe payout that settles the charge.
 */
export function shopifyOrder(context: PlanContext, rng: Rng, at: number): void {
  const n = context.nextId('shopify-order');
  const lines = Array.from({ length: rng.chance(0.35) ? 2 : 1 }, () => {
    const sku = context.estate.pickSku(rng);
    return { sku, quantity: rng.chance(0.85) ? 1 : 2, unit_price: context.estate.unitPrice(sku) };
  });
  const order: ShopOrder = {
    shopify_order_id: 5_310_000_000_000 + n * 7,
    name: `#${1000 + n}`,
    created_at: wholeSecond(at),
    currency: context.estate.currency,
    total: money(lines.reduce((sum, l) => sum + Number(l.unit_price) * l.quantity, 0) + 4.95),
    lines,
    payment_intent: `pi_3Sim${hashHex(`pi${n}`, 16)}`,
    charge: `ch_3Sim${hashHex(`ch${n}`, 16)}`,
  };
  const correlation = `shopify-order-${order.shopify_order_id}`;
  const created = shopifyOrderCreated(order, webhookId(`order-${n}`));
  context.emit(rng, created.event, { kind: 'shopify', topic: created.topic, webhookId: created.webhookId, body: created.body }, created.event.occurred_at + 400 + Math.round(rng.next() * 1500));
  const paidAt = wholeSecond(order.created_at + 1_000 + rng.next() * 3_000);
  const charge = stripeChargeSucceeded(order, `evt_3Sim${hashHex(`charge${n}`, 16)}`, paidAt);
  context.emit(rng, charge.event, { kind: 'stripe', body: charge.body }, charge.event.occurred_at + 300 + Math.round(rng.next() * 1200));
  context.payoutCharges.push({ amount: order.total, fee: stripeFee(order.total), at: paidAt });
  context.recentOrders.push({ order, paidAt });
  if (context.recentOrders.length > 500) context.recentOrders.shift();

  const keys = { order_id: order.name, shopify_order_id: String(order.shopify_order_id), payment_id: order.payment_intent };
  const base = { correlation_id: correlation, flow: 'order_to_cash', channel: 'shopify', keys };
  const releasedAt = Math.round(paidAt + 2_000 + rng.next() * 4_000);
  const released = `${correlation}:oms.order.released`;
  context.emit(rng, { ...base, event_id: released, step: 'oms.order.released', system: 'oms', target_system: 'wms', amount: order.total, currency: order.currency, occurred_at: releasedAt }, { kind: 'span', service: 'oms', name: 'release order', durationMs: 25 });
  const warehouse = rng.pick(context.estate.warehouses);
  const shippedAt = Math.round(releasedAt + 20_000 + rng.next() * 40_000);
  context.emit(rng, { ...base, event_id: `${correlation}:wms.order.shipped`, step: 'wms.order.shipped', system: 'wms', location_id: warehouse.id, occurred_at: shippedAt }, { kind: 'api' });
  const fulfillment = { fulfillment_id: 6_100_000_000_000 + n * 3, tracking_number: `JJD${String(1_000_000_000 + n * 13)}`, at: wholeSecond(shippedAt + 1_000 + rng.next() * 2_000) };
  const fulfilled = shopifyFulfillmentCreated(order, fulfillment, webhookId(`fulfillment-${n}`));
  context.emit(rng, fulfilled.event, { kind: 'shopify', topic: fulfilled.topic, webhookId: fulfilled.webhookId, body: fulfilled.body }, fulfilled.event.occurred_at + 500);
  postToErp(context, rng, fulfillment.at + 2_000, 'invoice', { ...base, step: 'erp.invoice.posted', target_system: 'erp', amount: order.total, currency: order.currency, keys: { ...keys, journal_id: `JE-INV-${n}` } }, released);
}

/**
 * A marketplace order (Amazon or Zalando): the connector receives it → OMS releases it → WMS ships it →
 * the connector confirms the shipment → the ERP posts the invoice. Amazon pays it in its next settlement.
 */
export function marketplaceOrder(context: PlanContext, rng: Rng, at: number): void {
  const marketplace = rng.pick(context.estate.marketplaces);
  const n = context.nextId(`order-${marketplace}`);
  const orderId = marketplace === 'amazon' ? `302-${String(1_000_000 + n).padStart(7, '0')}-${String((n * 7919) % 10_000_000).padStart(7, '0')}` : `10105${String(n).padStart(9, '0')}`;
  const correlation = `mkt-${marketplace}-${orderId}`;
  const sku = context.estate.pickSku(rng);
  const quantity = rng.chance(0.9) ? 1 : 2;
  const price = money(Number(context.estate.unitPrice(sku)) * quantity);
  const keys = { order_id: orderId };
  const base = { correlation_id: correlation, flow: 'order_to_cash', channel: marketplace, sku, quantity, keys };
  const received = `${correlation}:marketplace.order.received`;
  const receivedAt = Math.round(at);
  const event: SimEvent = { ...base, event_id: received, step: 'marketplace.order.received', system: marketplace, target_system: 'oms', amount: price, currency: context.estate.currency, occurred_at: receivedAt };
  context.emit(rng, event, { kind: 'span', service: 'marketplace-connector', name: `poll ${marketplace} orders`, durationMs: 30 });
  const releasedAt = Math.round(receivedAt + 2_000 + rng.next() * 4_000);
  context.emit(rng, { ...base, event_id: `${correlation}:oms.order.released`, step: 'oms.order.released', system: 'oms', target_system: 'wms', occurred_at: releasedAt }, { kind: 'span', service: 'oms', name: 'release order', durationMs: 25, parent: received });
  const warehouse = rng.pick(context.estate.warehouses);
  const shippedAt = Math.round(releasedAt + 20_000 + rng.next() * 40_000);
  const shipmentId = `SH-${marketplace.slice(0, 2).toUpperCase()}-${n}`;
  context.emit(rng, { ...base, event_id: `${correlation}:wms.order.shipped`, step: 'wms.order.shipped', system: 'wms', location_id: warehouse.id, occurred_at: shippedAt, keys: { ...keys, shipment_id: shipmentId } }, { kind: 'api' });
  const confirmedAt = Math.round(shippedAt + 1_000 + rng.next() * 2_000);
  context.emit(rng, { ...base, event_id: `${correlation}:marketplace.shipment.confirmed`, step: 'marketplace.shipment.confirmed', system: 'middleware', target_system: marketplace, occurred_at: confirmedAt, keys: { ...keys, shipment_id: shipmentId } }, { kind: 'span', service: 'marketplace-connector', name: `confirm shipment on ${marketplace}`, durationMs: 80, parent: received });
  postToErp(context, rng, confirmedAt + 1_500, 'invoice', { ...base, step: 'erp.invoice.posted', target_system: 'erp', amount: price, currency: context.estate.currency, keys: { ...keys, journal_id: `JE-INV-${marketplace.slice(0, 2).toUpperCase()}-${n}` } }, received);
  if (marketplace === 'amazon') context.unsettled.push({ marketplace, orderId, shipmentId, sku, quantity, price, shippedAt });
}

function webhookId(label: string): string {
  const hex = hashHex(label, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
