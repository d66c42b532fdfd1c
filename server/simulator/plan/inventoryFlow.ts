import type { PosLine, SimEvent } from '../model.js';
import type { Rng } from '../random.js';
import { posLineEvent } from '../vendors/posFile.js';
import { postToErp } from './erpPosting.js';
import type { PlanContext } from './planContext.js';

/** Median time for a channel to show a stock change once the middleware publishes it (ms). */
const PUBLISH_MEDIAN_MS: Record<string, number> = { shopify: 1_200, amazon: 3_500, zalando: 2_500 };

/** Listing updates per second a channel takes from the middleware's queue when it is not throttling. */
const UNTHROTTLED_PER_SECOND = 50;

/**
 * Inventory sync for one stock movement, from the moment the middleware can see it: received by the
 * middleware → posted in the ERP → published to each channel. A throttled channel takes updates from a queue
 * at the rate it accepts, so its lag grows for as long as the throttle lasts and drains afterwards.
 */
export function syncMovement(context: PlanContext, rng: Rng, source: SimEvent, visibleAt: number): void {
  const base = {
    correlation_id: source.correlation_id,
    flow: 'inventory_sync',
    location_id: source.location_id,
    sku: source.sku,
    quantity: source.quantity,
    keys: source.keys,
  };
  const receivedAt = Math.round(visibleAt + 200 + rng.next() * 600);
  const received = `${source.correlation_id}:middleware.movement.received`;
  context.emit(rng, { ...base, event_id: received, step: 'middleware.movement.received', system: 'middleware', occurred_at: receivedAt }, { kind: 'span', service: 'middleware', name: 'consume stock movement', durationMs: 12 });
  const postedAt = postToErp(context, rng, receivedAt + 80, 'inventory', { ...base, step: 'erp.inventory.posted', target_system: 'erp' }, received);
  if (postedAt === undefined) return;
  for (const channel of context.estate.channels) {
    const requestAt = postedAt + 100;
    const slowdown = context.conditions.slowdown(requestAt);
    let publishedAt = Math.round(requestAt + rng.logNormal(PUBLISH_MEDIAN_MS[channel] ?? 2_000, 0.5) * slowdown);
    const throttled = context.conditions.throttle(channel, requestAt) !== undefined;
    const queueFreeAt = context.channelFreeAt.get(channel) ?? 0;
    if (throttled || queueFreeAt > requestAt) {
      // The channel answered 429: the update waits its turn in the middleware's queue, which drains at the
      // rate the channel accepts at that moment (slowly while throttled, quickly once it is lifted).
      const slotStart = Math.max(requestAt, queueFreeAt);
      const slotMs = 1000 / (context.conditions.throttle(channel, slotStart) ?? UNTHROTTLED_PER_SECOND);
      publishedAt = Math.max(publishedAt, Math.round(slotStart + slotMs));
      context.channelFreeAt.set(channel, slotStart + slotMs);
    }
    if (throttled) {
      context.emit(
        rng,
        {
          ...base,
          event_id: `${source.correlation_id}:channel.published:${channel}:throttled`,
          step: 'channel.published',
          system: 'middleware',
          target_system: channel,
          channel,
          occurred_at: requestAt,
          status: 'retrying',
          error_code: 'HTTP_429',
          error_class: 'technical',
          error_message: `${channel} answered 429 Too Many Requests; queued`,
        },
        { kind: 'span', service: 'middleware', name: `publish to ${channel}`, durationMs: 40, parent: received },
      );
    }
    context.emit(
      rng,
      { ...base, event_id: `${source.correlation_id}:channel.published:${channel}`, step: 'channel.published', system: 'middleware', target_system: channel, channel, occurred_at: publishedAt },
      { kind: 'span', service: 'middleware', name: `publish to ${channel}`, durationMs: 60, parent: received },
    );
  }
}

/** A store sale or return: one receipt with one or two lines, each its own movement, captured for the next POS batch. */
export function storeSale(context: PlanContext, rng: Rng, at: number): void {
  const store = context.estate.pickStore(rng);
  const receiptNo = context.nextId('receipt');
  const receipt = `R${String(receiptNo).padStart(8, '0')}`;
  const isReturn = rng.chance(0.06);
  const lines = rng.chance(0.3) ? 2 : 1;
  for (let lineNo = 1; lineNo <= lines; lineNo++) {
    const sku = context.estate.pickSku(rng);
    const quantity = rng.chance(0.9) ? 1 : 2;
    const unit = context.estate.unitPrice(sku);
    const line: PosLine = {
      store_id: store.id,
      register_id: `${store.id}-R${rng.int(1, 4)}`,
      receipt_id: receipt,
      line_no: lineNo,
      at: Math.round(at + lineNo * 900),
      type: isReturn ? 'RETURN' : 'SALE',
      sku,
      quantity: isReturn ? quantity : -quantity,
      unit_price: unit,
      amount: (Number(unit) * quantity * (isReturn ? -1 : 1)).toFixed(2),
      currency: context.estate.currency,
      payment_method: rng.pick(['card', 'card', 'card', 'cash', 'mobile']),
      ...(isReturn ? { original_receipt_id: `R${String(Math.max(1, receiptNo - rng.int(50, 5000))).padStart(8, '0')}` } : {}),
    };
    context.posBuffer.push(line);
  }
}

/**
 * The head-office POS upload: every store's lines captured before `cycleEnd` arrive in one batch file, except
 * those of a store that is offline — they wait for it to reconnect and arrive in a burst. The middleware
 * picks each movement up from the batch, so the batch cadence is part of the inventory lag, as in real estates.
 */
export function uploadPosBatch(context: PlanContext, rng: Rng, cycleEnd: number): void {
  const due: PosLine[] = [];
  const held: PosLine[] = [];
  for (const line of context.posBuffer) {
    if (line.at >= cycleEnd) held.push(line);
    else if (context.conditions.storeBackAt(line.store_id, cycleEnd) !== undefined) held.push(line);
    else due.push(line);
  }
  context.posBuffer = held;
  if (due.length === 0) return;
  const batch = `pos-${new Date(cycleEnd).toISOString().replace(/[-:.]/g, '')}`;
  const deliverAt = cycleEnd + 1_000;
  for (const line of due) {
    const event = posLineEvent(line);
    context.emit(rng, event, { kind: 'file', file: 'pos', batch, line }, deliverAt);
    syncMovement(context, rng, event, deliverAt);
  }
}

/** A goods receipt at a distribution centre (WMS, through the business-event API): a large positive movement. */
export function warehouseReceipt(context: PlanContext, rng: Rng, at: number): void {
  const warehouse = rng.pick(context.estate.warehouses);
  const id = `GR-${String(context.nextId('receipt-wms')).padStart(7, '0')}`;
  const event: SimEvent = {
    event_id: `wms-${id}:wms.receipt.posted`,
    correlation_id: `wms-${id}`,
    flow: 'inventory_sync',
    step: 'wms.receipt.posted',
    system: 'wms',
    region: warehouse.region,
    location_id: warehouse.id,
    sku: context.estate.pickSku(rng),
    quantity: rng.pick([24, 48, 96, 120, 240]),
    occurred_at: Math.round(at),
    keys: { receipt_id: id, purchase_order_id: `PO-${4500000 + context.nextId('po')}` },
  };
  context.emit(rng, event, { kind: 'api' });
  syncMovement(context, rng, event, event.occurred_at);
}
