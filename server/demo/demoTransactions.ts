import type { CanonicalEventInput } from '../contracts/canonicalEvent.js';

/**
 * Demo business transactions for `npm start`: small, linked, realistic sequences of canonical events so a
 * newcomer sees moving charts and can search lineage by order, refund or settlement id. Pure: the caller
 * provides the random source and the clock.
 */

export type ScheduledEvent = { dueAt: number; event: CanonicalEventInput };
type Rng = () => number;

const CHANNELS = ['shopify', 'amazon', 'zalando'] as const;
const STORES = Array.from({ length: 12 }, (_, i) => `store-${String(i + 1).padStart(3, '0')}`);

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const money = (rng: Rng, min: number, max: number) => (min + rng() * (max - min)).toFixed(2);

export function demoTransaction(rng: Rng, now: number, seq: number): ScheduledEvent[] {
  const roll = rng();
  if (roll < 0.5) return inventorySync(rng, now, seq);
  if (roll < 0.85) return orderToCash(rng, now, seq);
  return returnToRefund(rng, now, seq);
}

function steps(now: number, correlation: string, base: Omit<CanonicalEventInput, 'event_id' | 'correlation_id' | 'step' | 'system' | 'occurred_at'>, list: [number, string, string, Partial<CanonicalEventInput>?][]): ScheduledEvent[] {
  return list.map(([delayMs, step, system, extra], i) => ({
    dueAt: now + delayMs,
    event: { ...base, ...extra, event_id: `${correlation}:${i}:${step}`, correlation_id: correlation, step, system, occurred_at: now + delayMs },
  }));
}

function inventorySync(rng: Rng, now: number, seq: number): ScheduledEvent[] {
  const id = `inv-${now.toString(36)}-${seq}`;
  const sku = `SKU-${String(10000 + Math.floor(rng() * 50000))}`;
  const base = { flow: 'inventory_sync', sku, location_id: pick(rng, STORES), quantity: -1 - Math.floor(rng() * 3), keys: { movement_id: id } };
  const erpDelay = 300 + rng() * 1500;
  const list: [number, string, string, Partial<CanonicalEventInput>?][] = [
    [0, 'pos.sale.captured', 'pos'],
    [200, 'middleware.movement.received', 'middleware', { target_system: 'erp' }],
  ];
  if (rng() < 0.05) {
    list.push([erpDelay, 'erp.inventory.posted', 'erp', { status: 'retrying', error_code: 'HTTP_503', error_class: 'technical', error_message: 'ERP answered 503 Service Unavailable' }]);
    list.push([erpDelay + 4000, 'erp.inventory.posted', 'erp']);
  } else {
    list.push([erpDelay, 'erp.inventory.posted', 'erp']);
  }
  for (const channel of CHANNELS) list.push([erpDelay + 500 + rng() * 4000, 'channel.published', 'middleware', { channel, target_system: channel }]);
  return steps(now, id, base, list);
}

function orderToCash(rng: Rng, now: number, seq: number): ScheduledEvent[] {
  const orderId = `SO-${100000 + seq}`;
  const paymentId = `pi_${now.toString(36)}${seq}`;
  const amount = money(rng, 15, 240);
  const channel = pick(rng, CHANNELS);
  const base = { flow: 'order_to_cash', channel, amount, currency: 'EUR', keys: { order_id: orderId, payment_id: paymentId } };
  return steps(now, `otc-${orderId}`, base, [
    [0, 'shop.order.created', channel],
    [300, 'payment.authorized', 'stripe'],
    [900, 'oms.order.released', 'oms', { target_system: 'wms' }],
    [2500 + rng() * 3000, 'wms.order.shipped', 'wms'],
    [6000 + rng() * 3000, 'erp.invoice.posted', 'erp', { keys: { order_id: orderId, payment_id: paymentId, journal_id: `JE-${seq}` } }],
  ]);
}

function returnToRefund(rng: Rng, now: number, seq: number): ScheduledEvent[] {
  const orderId = `SO-${100000 + Math.max(0, seq - 7)}`;
  const refundId = `re_${now.toString(36)}${seq}`;
  const amount = money(rng, 10, 120);
  const keys = { order_id: orderId, refund_id: refundId, rma_id: `RMA-${seq}` };
  const base = { flow: 'return_to_refund', amount, currency: 'EUR', keys };
  const list: [number, string, string, Partial<CanonicalEventInput>?][] = [
    [0, 'oms.return.received', 'oms'],
    [1500, 'wms.return.inspected', 'wms'],
    [2500, 'payment.refund.created', 'stripe'],
  ];
  if (rng() < 0.2) {
    list.push([4000, 'erp.credit_memo.posted', 'erp', { status: 'dead_lettered', error_code: 'GL_ACCOUNT_LOCKED', error_class: 'business', error_message: 'posting period closed for account 4010' }]);
  } else {
    list.push([4000, 'erp.credit_memo.posted', 'erp', { keys: { ...keys, journal_id: `JE-R${seq}` } }]);
  }
  return steps(now, `rtr-${refundId}`, base, list);
}
