import { RECONCILIATION_REASONS, RECONCILIATION_STATUSES, type ReconciliationItemAnswer, type ReconciliationListAnswer } from '../../api/contracts';
import { formatCount, formatMoney } from '../../format/number';

export type Tone = 'ok' | 'warn' | 'bad' | 'none';
export type ReconStatus = (typeof RECONCILIATION_STATUSES)[number];

export const STATUS_LABELS: Readonly<Record<ReconStatus, string>> = {
  matched: 'Matched',
  mismatched: 'Mismatched',
  unmatched_settlement: 'Not booked by the ERP',
  unmatched_erp: 'Booked without a report',
};

export const REASON_LABELS: Readonly<Record<string, string>> = {
  fee: 'Fees',
  tax: 'Tax',
  currency: 'Currency',
  missing_line: 'Missing line',
  unknown: 'Unexplained',
};

const STATUS_TONES: Readonly<Record<ReconStatus, Tone>> = { matched: 'ok', mismatched: 'bad', unmatched_settlement: 'warn', unmatched_erp: 'warn' };

/** Money for people, in its currency with its minor digits (Intl); a dash where a side is missing. */
export function money(amount: string | null, currency: string | null, locale?: string): string {
  if (amount === null) return '–';
  return currency === null || currency === '' ? amount : formatMoney(amount, currency, locale);
}

export type StatusTile = { status: ReconStatus; label: string; count: number; tone: Tone; amounts: string[] };

/** One tile per status: how many settlements, and per currency what they add up to, in the words of that status. */
export function statusTiles(list: Pick<ReconciliationListAnswer, 'by_status' | 'totals'>, locale?: string): StatusTile[] {
  return RECONCILIATION_STATUSES.map((status) => {
    const count = list.by_status[status] ?? 0;
    const amounts = list.totals
      .filter((t) => t.status === status)
      .map((t) => {
        const m = (amount: string | null) => money(amount, t.currency, locale);
        switch (status) {
          case 'matched':
            return `${m(t.reported_net)} deposited`;
          case 'mismatched':
            return t.difference === null ? `${m(t.reported_net)} deposited, not comparable` : `${m(t.difference)} difference on ${m(t.reported_net)}`;
          case 'unmatched_settlement':
            return `${m(t.reported_net)} not booked yet`;
          case 'unmatched_erp':
            return `${m(t.erp_net)} booked`;
        }
      });
    return { status, label: STATUS_LABELS[status], count, tone: count === 0 ? 'none' : STATUS_TONES[status], amounts };
  });
}

export type SettlementRow = {
  id: string;
  source: string;
  reportedAt: string;
  settles: string;
  deposited: string;
  fees: string;
  erpGross: string;
  erpNet: string;
  difference: string;
  differenceTone: Tone;
  status: { label: string; tone: Tone };
  reason: string | null;
  explanation: string | null;
};

/** "27 Nov, 14:03" in the viewer's zone (tests pin locale and zone). */
export function formatDay(ms: number | null, options: { locale?: string; timeZone?: string } = {}): string {
  if (ms === null) return '–';
  return new Intl.DateTimeFormat(options.locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: options.timeZone }).format(ms);
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function settlementRow(s: ReconciliationItemAnswer, options: { locale?: string; timeZone?: string } = {}): SettlementRow {
  const currency = s.currency ?? s.erp_currency;
  const erpCurrency = s.erp_currency ?? s.currency;
  const differs = s.difference !== null && Number(s.difference) !== 0;
  return {
    id: s.settlement_id,
    source: s.source ?? '–',
    reportedAt: formatDay(s.reported_at ?? s.erp_posted_at, options),
    settles: `${plural(s.order_counts.total, 'order', 'orders')}${s.refund_count > 0 ? ` · ${plural(s.refund_count, 'refund', 'refunds')}` : ''}`,
    deposited: money(s.reported_net, currency, options.locale),
    fees: money(s.fees.reported, currency, options.locale),
    erpGross: money(s.gross.erp, erpCurrency, options.locale),
    erpNet: money(s.erp_net, erpCurrency, options.locale),
    difference: money(s.difference, currency, options.locale),
    differenceTone: s.status === 'mismatched' ? 'bad' : differs ? 'warn' : 'none',
    status: { label: STATUS_LABELS[s.status], tone: STATUS_TONES[s.status] },
    reason: s.reason === null ? null : (REASON_LABELS[s.reason] ?? s.reason),
    explanation: s.explanation,
  };
}

export type Option = { value: string; label: string };

/** What each filter can pick: reasons with how many mismatches each has, and the range's sources and currencies. */
export function filterOptions(list: Pick<ReconciliationListAnswer, 'by_reason' | 'sources' | 'currencies'>, current: { reason: string; source: string; currency: string }): { reasons: Option[]; sources: Option[]; currencies: Option[] } {
  const keep = (values: string[], value: string) => (value !== '' && !values.includes(value) ? [...values, value] : values);
  return {
    reasons: Object.entries(REASON_LABELS).map(([value, label]) => ({ value, label: `${label} (${formatCount(list.by_reason[value as keyof typeof list.by_reason] ?? 0)})` })),
    sources: keep(list.sources, current.source).map((value) => ({ value, label: value })),
    currencies: keep(list.currencies, current.currency).map((value) => ({ value, label: value })),
  };
}

/**
 * The filters a link asks for, each checked the way the API checks it: a value the API would refuse is dropped
 * (and said so) rather than turning the whole screen into an error.
 */
export function readFilters(params: { status: string; reason: string; source: string; currency: string }): { filters: { status: string; reason: string; source: string; currency: string }; problems: string[] } {
  const problems: string[] = [];
  const allowed = (name: string, value: string, values: readonly string[]) => {
    if (value === '' || values.includes(value)) return value;
    problems.push(`${name} “${value}” is not one of ${values.join(', ')}`);
    return '';
  };
  const status = allowed('status', params.status, RECONCILIATION_STATUSES);
  const reason = allowed('reason', params.reason, RECONCILIATION_REASONS);
  const currency = params.currency === '' || /^[A-Za-z]{3}$/.test(params.currency) ? params.currency.toUpperCase() : (problems.push(`currency “${params.currency}” is not an ISO 4217 code`), '');
  const source = params.source.length <= 64 ? params.source : (problems.push('the source is longer than 64 characters'), '');
  return { filters: { status, reason, source, currency }, problems };
}
