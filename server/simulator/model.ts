/**
 * The simulated retail estate's vocabulary: what really happened (a `SimEvent`, exactly the canonical event
 * Flowlens should store for it) and how it reaches Flowlens (`Via`). The planner produces `SimStep`s, the
 * runner delivers them, and the ground truth is computed from the same steps, so every figure Flowlens shows
 * can be checked against what the simulator knows.
 */

export type SimStatus = 'ok' | 'failed' | 'retrying' | 'dead_lettered' | 'skipped';

/** One canonical event (contract v1) as Flowlens should store it. Times are epoch milliseconds. */
export type SimEvent = {
  event_id: string;
  correlation_id: string;
  flow: string;
  step: string;
  system: string;
  occurred_at: number;
  target_system?: string;
  channel?: string;
  region?: string;
  location_id?: string;
  sku?: string;
  quantity?: number;
  /** Decimal text, e.g. `"49.90"` (never a float: money keeps every digit). */
  amount?: string;
  currency?: string;
  status?: SimStatus;
  error_code?: string;
  error_class?: 'business' | 'technical';
  error_message?: string;
  keys?: Record<string, string>;
  payload?: unknown;
  replay_target?: string;
};

/** The simulated services that report over OTLP with the real OpenTelemetry SDK. */
export const SIM_SERVICES = ['middleware', 'oms', 'erp', 'marketplace-connector'] as const;
export type SimService = (typeof SIM_SERVICES)[number];

/**
 * A posting the middleware sends to the simulated ERP (`POST /erp/v1/postings`). The ERP applies each
 * `idempotency_key` once and, when it applies one, reports `event` (with `occurred_at` = the time it applied it)
 * as a span of its own. It is also the `payload` of a dead-lettered posting, so a replay re-sends it as is.
 */
export type ErpPosting = {
  idempotency_key: string;
  document_type: 'inventory' | 'invoice' | 'credit_memo' | 'transfer';
  event: Omit<SimEvent, 'occurred_at'>;
};

export type PosLine = {
  store_id: string;
  register_id: string;
  receipt_id: string;
  line_no: number;
  at: number;
  type: 'SALE' | 'RETURN';
  sku: string;
  /** Negative for a sale (stock leaves the store), positive for a return. */
  quantity: number;
  unit_price: string;
  amount: string;
  currency: string;
  payment_method: string;
  original_receipt_id?: string;
};

export type JournalLine = {
  journal_id: string;
  line_no: number;
  posting_date: number;
  account: string;
  debit: string;
  credit: string;
  currency: string;
  document_type: 'invoice' | 'credit_memo' | 'settlement' | 'payout';
  reference: string;
  description: string;
};

export type SettlementLine = {
  transaction_type: 'Order' | 'Refund';
  order_id: string;
  merchant_order_id?: string;
  adjustment_id?: string;
  shipment_id?: string;
  sku: string;
  quantity: number;
  /** Flat File V2 `amount-type` / `amount-description`, e.g. ItemPrice/Principal, ItemFees/Commission. */
  amount_type: string;
  amount_description: string;
  /** Signed decimal text: fees and refunds are negative. */
  amount: string;
  posted_at: number;
};

export type Settlement = {
  settlement_id: string;
  marketplace: string;
  start: number;
  end: number;
  deposit_at: number;
  currency: string;
  /** Net total deposited: the sum of every line. */
  total: string;
  lines: SettlementLine[];
};

export type ShopOrder = {
  shopify_order_id: number;
  /** The order name shown to people and used as `order_id`, e.g. `#1001`. */
  name: string;
  created_at: number;
  currency: string;
  total: string;
  lines: { sku: string; quantity: number; unit_price: string }[];
  payment_intent: string;
  charge: string;
};

/**
 * How a step reaches Flowlens. Spans of one correlation share a trace; `parent` is the `event_id` of the step
 * whose span is the parent (an ERP posting's span is the ERP's own, a child of the middleware's client span).
 */
export type Via =
  | { kind: 'api' }
  | { kind: 'span'; service: SimService; name: string; durationMs: number; parent?: string }
  | { kind: 'erp'; posting: ErpPosting; expect: 'applied' | 'unavailable'; parent?: string }
  | { kind: 'shopify'; topic: string; webhookId: string; body: string }
  | { kind: 'stripe'; body: string }
  | { kind: 'file'; file: 'pos'; batch: string; line: PosLine }
  | { kind: 'file'; file: 'journal'; batch: string; line: JournalLine }
  | { kind: 'file'; file: 'settlement'; batch: string; settlement: Settlement };

/**
 * One event that really happened, when it is handed to its transport (`deliverAt`, simulated time; at or after
 * `event.occurred_at` — a store that is offline delivers late) and how many times (`copies` > 1: redelivered,
 * at least once, as real integrations do). Steps of one file share `via.batch` and `deliverAt`.
 */
export type SimStep = { event: SimEvent; via: Via; deliverAt: number; copies: number };

/** Redeliveries of one message come this long after each other (at-least-once, as brokers and vendors do). */
export const REDELIVERY_GAP_MS = 7_000;
