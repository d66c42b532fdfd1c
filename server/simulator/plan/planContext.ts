import type { Estate } from '../estate.js';
import type { JournalLine, PosLine, ShopOrder, SimEvent, SimStep, Via } from '../model.js';
import type { Rng } from '../random.js';
import type { Conditions } from '../scenarios.js';

/** A Shopify order kept for later returns and for the payout that settles its charge. */
export type PaidOrder = { order: ShopOrder; paidAt: number };
/** A marketplace order waiting for the settlement that pays it. */
export type ShippedMarketplaceOrder = { marketplace: string; orderId: string; shipmentId: string; sku: string; quantity: number; price: string; shippedAt: number };

/**
 * What the flows share while a plan is made: the estate, the world's conditions, id counters, and the
 * buffers of things delivered in batches (POS files, journal exports, settlements, payouts). Flows call
 * `emit`; it applies the delivery faults of the moment (late, out-of-order, redelivered) in one place.
 */
export type PlanContext = {
  estate: Estate;
  conditions: Conditions;
  nextId(kind: string): number;
  emit(rng: Rng, event: SimEvent, via: Via, deliverAt?: number): SimStep;
  /** Steps emitted so far, in emission order (the planner drains it). */
  steps: SimStep[];
  posBuffer: PosLine[];
  journalBuffer: JournalLine[];
  recentOrders: PaidOrder[];
  payoutCharges: { amount: string; fee: string; at: number }[];
  payoutRefunds: { amount: string; at: number }[];
  unsettled: ShippedMarketplaceOrder[];
  /** When each throttled channel is free again (the middleware's publish queue). */
  channelFreeAt: Map<string, number>;
};

export function createPlanContext(estate: Estate, conditions: Conditions): PlanContext {
  const counters = new Map<string, number>();
  const context: PlanContext = {
    estate,
    conditions,
    nextId: (kind) => {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      return n;
    },
    steps: [],
    posBuffer: [],
    journalBuffer: [],
    recentOrders: [],
    payoutCharges: [],
    payoutRefunds: [],
    unsettled: [],
    channelFreeAt: new Map(),
    emit: (rng, event, via, deliverAt) => {
      const at = deliverAt ?? event.occurred_at;
      const lateBy = via.kind === 'file' ? 0 : conditions.maxDelayMs(at);
      const copies = conditions.duplicateProbability(at) > 0 && rng.chance(conditions.duplicateProbability(at)) ? rng.int(2, 3) : 1;
      const step: SimStep = { event, via, deliverAt: at + (lateBy > 0 ? Math.round(rng.next() * lateBy) : 0), copies };
      context.steps.push(step);
      return step;
    },
  };
  return context;
}

/** Money as decimal text with two places. */
export function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** Milliseconds rounded to the whole second (vendors that send seconds). */
export function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
