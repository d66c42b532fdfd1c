import type { ClickHouseClient } from '@clickhouse/client';
import {
  DEFAULT_LEDGER_ACCOUNTS,
  DEFAULT_RECONCILIATION_RULES,
  journalRole,
  mismatchesByReason,
  reconcileSettlement,
  RECONCILIATION_STATUSES,
  settlementLineKind,
  totalsByStatus,
  type InvoiceInput,
  type LedgerAccounts,
  type ReconciliationReason,
  type ReconciliationRules,
  type ReconciliationStatus,
  type SettlementInput,
  type SettlementReconciliation,
  type StatusTotal,
} from '../domain/reconciliation.js';
import { AppError } from '../errors.js';
import {
  invoicesForOrders,
  JOURNAL_STEP,
  REPORT_STEPS,
  SETTLEMENT_FLOW,
  SETTLEMENT_SLACK_MS,
  settlementEvents,
  settlementSpan,
  settlementsActiveBetween,
  type SettlementLineRow,
  type SettlementPostingRow,
  type TimeBound,
} from '../store/queries/reconciliation.js';
import type { Schema } from '../store/schema.js';
import type { OwnerOf } from './exceptionService.js';

export type Owner = { id: string; name: string };
type DetailParts = 'orders' | 'refunds' | 'postings';
/** A settlement as listed: the reconciliation without its per-order, refund and posting detail, with who owns a difference. */
export type ReconciliationItem = Omit<SettlementReconciliation, DetailParts> & { owner: Owner | null };
export type ReconciliationDetail = ReconciliationItem & Pick<SettlementReconciliation, DetailParts>;
export type ReconciliationList = {
  at: number;
  from: number;
  to: number;
  total: number;
  offset: number;
  /** Settlements of the range (source and currency) by status, before the status and reason filters. */
  by_status: Record<ReconciliationStatus, number>;
  /** The same settlements per status and currency: how many, and what their deposits, ERP nets and differences add up to. */
  totals: StatusTotal[];
  /** The same settlements' mismatches by reason. */
  by_reason: Record<ReconciliationReason, number>;
  /** Who reported settlements in the range, and in which currencies (before any filter): what the filters can pick. */
  sources: string[];
  currencies: string[];
  settlements: ReconciliationItem[];
  /** True when more settlements were active in the range than one answer reads: narrow the range. */
  truncated: boolean;
};

export type ReconciliationQuery = {
  from: number;
  to: number;
  statuses?: readonly ReconciliationStatus[];
  reasons?: readonly ReconciliationReason[];
  source?: string;
  currency?: string;
  /** By report date (the ERP's posting's without a report): `oldest` first (the default) or `newest`. */
  order?: 'oldest' | 'newest';
  limit: number;
  offset: number;
};

export type ReconciliationService = {
  list(q: ReconciliationQuery): Promise<ReconciliationList>;
  get(settlementId: string): Promise<ReconciliationDetail>;
};

export type ReconciliationOptions = {
  /** Who owns a difference: called with error_class `business` and flow settlement_to_ledger (finance, by dashboards/owners.yaml). */
  ownerOf: OwnerOf;
  rules?: ReconciliationRules;
  accounts?: LedgerAccounts;
};

/** How many settlements one answer reconciles at most; past it the answer says `truncated`. */
export const MAX_SETTLEMENTS_READ = 5_000;

/**
 * Settlement reconciliation: each settlement reported or posted in a range — the report's net against the ERP's
 * expected net, every sold order against its ERP invoice — read from the settlement's own events and its orders'
 * invoices, bounded in time (the range ± SETTLEMENT_SLACK_MS, narrowed to the transactions' own spans).
 */
export function createReconciliationService(client: ClickHouseClient, schema: Schema, options: ReconciliationOptions, clock: () => number = Date.now): ReconciliationService {
  const rules = options.rules ?? DEFAULT_RECONCILIATION_RULES;
  const accounts = options.accounts ?? DEFAULT_LEDGER_ACCOUNTS;

  /** `bound`: where the settlements' events are read; their orders' invoices are read around it too. */
  async function reconcile(correlations: readonly string[], bound: TimeBound): Promise<SettlementReconciliation[]> {
    const { postings, lines } = await settlementEvents(client, schema, correlations, bound);
    const inputs = toInputs(postings, lines, accounts);
    const orderIds = [...new Set(lines.map((l) => l.order_id).filter((id) => id !== ''))];
    const invoices = await invoicesForOrders(client, schema, orderIds, bound);
    const byOrder = new Map<string, InvoiceInput[]>();
    for (const invoice of invoices) byOrder.set(invoice.order_id, [...(byOrder.get(invoice.order_id) ?? []), invoice]);
    return inputs.map((input) => {
      const ids = new Set(input.lines.map((l) => l.order_id).filter((id) => id !== undefined));
      return reconcileSettlement({ ...input, invoices: [...ids].flatMap((id) => byOrder.get(id) ?? []) }, rules);
    });
  }

  const withOwner = (r: SettlementReconciliation): ReconciliationDetail => ({
    ...r,
    owner: r.status === 'matched' ? null : pick(options.ownerOf({ error_class: 'business', flow: SETTLEMENT_FLOW, system: r.source ?? undefined })),
  });

  return {
    async list(q) {
      const now = clock();
      const candidates = await settlementsActiveBetween(client, schema, q, MAX_SETTLEMENTS_READ + 1);
      const truncated = candidates.length > MAX_SETTLEMENTS_READ;
      const read = candidates.slice(0, MAX_SETTLEMENTS_READ);
      const all = await reconcile(
        read.map((c) => c.correlation_id),
        { from: q.from - SETTLEMENT_SLACK_MS, to: q.to + SETTLEMENT_SLACK_MS },
      );
      // A settlement belongs to the range its report is dated in (its ERP posting's, when it has no report).
      const inRange = all
        .map((r) => ({ r, at: r.reported_at ?? r.erp_posted_at ?? Number.NaN }))
        .filter(({ at }) => at >= q.from && at < q.to);
      const sign = q.order === 'newest' ? -1 : 1;
      const anchored = inRange
        .filter(({ r }) => (q.source === undefined || r.source === q.source) && (q.currency === undefined || (r.currency ?? r.erp_currency) === q.currency))
        .sort((a, b) => sign * (a.at - b.at) || sign * a.r.settlement_id.localeCompare(b.r.settlement_id));
      const by_status = Object.fromEntries(RECONCILIATION_STATUSES.map((s) => [s, 0])) as Record<ReconciliationStatus, number>;
      for (const { r } of anchored) by_status[r.status]++;
      const chosen = anchored.filter(({ r }) => (q.statuses === undefined || q.statuses.includes(r.status)) && (q.reasons === undefined || (r.reason !== null && q.reasons.includes(r.reason))));
      const settlements = chosen.slice(q.offset, q.offset + q.limit).map(({ r }) => summary(withOwner(r)));
      const distinct = (values: (string | null)[]) => [...new Set(values.filter((v) => v !== null && v !== ''))].sort() as string[];
      const listed = {
        by_status,
        totals: totalsByStatus(anchored.map(({ r }) => r)),
        by_reason: mismatchesByReason(anchored.map(({ r }) => r)),
        sources: distinct(inRange.map(({ r }) => r.source)),
        currencies: distinct(inRange.map(({ r }) => r.currency ?? r.erp_currency)),
      };
      return { at: now, from: q.from, to: q.to, total: chosen.length, offset: q.offset, ...listed, settlements, truncated };
    },
    async get(settlementId) {
      const correlation = `settlement-${settlementId}`;
      const span = await settlementSpan(client, schema, correlation);
      const found = span ? await reconcile([correlation], { from: span.from - SETTLEMENT_SLACK_MS, to: span.to + SETTLEMENT_SLACK_MS }) : [];
      if (found.length === 0) throw new AppError(404, 'settlement_not_found', `no settlement ${settlementId}: Flowlens has no settlement report, payout or ERP posting for it`);
      return withOwner(found[0]!);
    },
  };
}

function pick(owner: Owner): Owner {
  return { id: owner.id, name: owner.name };
}

function summary(detail: ReconciliationDetail): ReconciliationItem {
  const { orders: _orders, refunds: _refunds, postings: _postings, ...item } = detail;
  return item;
}

/** One reconciliation input per settlement from its stored events (invoices are added afterwards). */
function toInputs(postings: readonly SettlementPostingRow[], lines: readonly SettlementLineRow[], accounts: LedgerAccounts): Omit<SettlementInput, 'invoices'>[] {
  const byCorrelation = new Map<string, Omit<SettlementInput, 'invoices'> & { lines: SettlementInput['lines'][number][]; journal: SettlementInput['journal'][number][] }>();
  const entry = (correlation: string, settlementId: string) => {
    let e = byCorrelation.get(correlation);
    if (!e) {
      e = { settlement_id: settlementId || correlation.replace(/^settlement-/, ''), correlation_id: correlation, source: null, reported: null, lines: [], journal: [] };
      byCorrelation.set(correlation, e);
    }
    return e;
  };
  for (const p of postings) {
    const e = entry(p.correlation_id, p.settlement_id);
    if ((REPORT_STEPS as readonly string[]).includes(p.step)) {
      // One report per settlement; should a corrected one arrive, the latest stands.
      if (!e.reported || p.at >= e.reported.at) {
        e.reported = { amount: p.amount, currency: p.currency, at: p.at };
        e.source = p.system;
      }
    } else if (p.step === JOURNAL_STEP) {
      e.journal.push({ amount: p.amount, currency: p.currency, role: journalRole(p.account, accounts), journal_id: p.journal_id || undefined, account: p.account || undefined, posted_at: p.at });
    }
  }
  for (const l of lines) {
    const e = entry(l.correlation_id, '');
    e.source ??= l.system || null;
    const kind = settlementLineKind({ transaction_type: l.transaction_type, amount_type: l.amount_type, amount_description: l.amount_description, amount: l.amount, refund_id: l.refund_id || undefined });
    e.lines.push({ amount: l.amount, currency: l.currency, kind, order_id: l.order_id || undefined, refund_id: l.refund_id || undefined, count: l.lines });
  }
  return [...byCorrelation.values()];
}
