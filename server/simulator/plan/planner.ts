import { createEstate } from '../estate.js';
import type { SimStep } from '../model.js';
import { createRng, type Rng } from '../random.js';
import { conditionsFor, type Incident } from '../scenarios.js';
import { tradingDay, type TrafficFamily } from '../tradingDay.js';
import { ESTATE_TIME_ZONE } from '../vendors/textFormats.js';
import { storeSale, uploadPosBatch, warehouseReceipt } from './inventoryFlow.js';
import { marketplaceOrder, shopifyOrder } from './orderFlows.js';
import { createPlanContext, type PlanContext } from './planContext.js';
import { returnToRefund, storeTransfer } from './returnFlow.js';
import { exportJournal, settleMarketplace, stripePayout, type SettlementFact } from './settlementFlow.js';

export type PlannerOptions = {
  seed: string | number;
  /** Mean events per second the estate produces (before the scenario's traffic factor). */
  rate: number;
  start: number;
  incidentsAt: (t: number) => readonly Incident[];
  /** Follow the trading week (stores closed at night and on Sundays); false keeps every hour at the week's mean. */
  daily?: boolean;
  posEveryMs?: number;
  journalEveryMs?: number;
  settleEveryMs?: number;
};

export type Planner = {
  /** Plan every whole second before `t` not planned yet; returns the new steps (any delivery time ≥ their second). */
  planUntil(t: number): SimStep[];
  settlements: SettlementFact[];
};

type Transaction = (context: PlanContext, rng: Rng, at: number) => void;

/**
 * The transaction mix and how many events each kind makes on average (measured from the flows), so `rate` is
 * events per second as the user asked, not transactions. Each kind follows its family's trading week.
 */
const MIX: readonly { weight: number; events: number; family: TrafficFamily; start: Transaction }[] = [
  { weight: 0.45, events: 7.8, family: 'store', start: storeSale },
  { weight: 0.03, events: 6, family: 'warehouse', start: warehouseReceipt },
  { weight: 0.04, events: 3, family: 'warehouse', start: storeTransfer },
  { weight: 0.25, events: 6.2, family: 'online', start: shopifyOrder },
  { weight: 0.15, events: 6, family: 'online', start: marketplaceOrder },
  { weight: 0.08, events: 8, family: 'online', start: returnToRefund },
];
const EVENTS_PER_TRANSACTION = MIX.reduce((sum, m) => sum + m.weight * m.events, 0);

/**
 * Plans the estate second by second, in order: first the batch cycles due at the second's start (POS upload,
 * journal export, settlement and payout), then the transactions that start during it. Every second and every
 * transaction draws from its own seeded stream, so a plan is the same however it is asked for.
 */
export function createPlanner(options: PlannerOptions): Planner {
  const posEvery = options.posEveryMs ?? 15_000;
  const journalEvery = options.journalEveryMs ?? 20_000;
  const settleEvery = options.settleEveryMs ?? 60_000;
  const root = createRng(options.seed);
  const context = createPlanContext(createEstate(options.seed), conditionsFor(options.incidentsAt));
  const settlements: SettlementFact[] = [];
  const day = tradingDay(ESTATE_TIME_ZONE);
  let cursor = options.start;
  return {
    settlements,
    planUntil(t) {
      for (; cursor < t; cursor += 1000) {
        const elapsed = cursor - options.start;
        const rng = root.fork(`s${elapsed / 1000}`);
        if (elapsed > 0 && elapsed % posEvery === 0) uploadPosBatch(context, rng.fork('pos'), cursor);
        if (elapsed > 0 && elapsed % settleEvery === 0) {
          settleMarketplace(context, rng.fork('settle'), cursor - settleEvery, cursor, settlements);
          stripePayout(context, rng.fork('payout'), cursor, settlements);
        }
        if (elapsed > 0 && elapsed % journalEvery === 0) exportJournal(context, rng.fork('journal'), cursor);
        const perTransaction = (options.rate * context.conditions.trafficFactor(cursor)) / EVENTS_PER_TRANSACTION;
        const starts: { at: number; kind: (typeof MIX)[number] }[] = [];
        for (const kind of MIX) {
          const count = rng.poisson(perTransaction * kind.weight * (options.daily === false ? 1 : day(kind.family, cursor)));
          for (let i = 0; i < count; i++) starts.push({ at: cursor + Math.floor(rng.next() * 1000), kind });
        }
        starts.sort((a, b) => a.at - b.at);
        for (const [i, { at, kind }] of starts.entries()) kind.start(context, rng.fork(i), at);
      }
      return context.steps.splice(0, context.steps.length);
    },
  };
}
