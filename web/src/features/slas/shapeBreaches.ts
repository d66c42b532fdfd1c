import type { SlaBreach, SlaBreaches } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { groupLabel } from './shapeSlas';

export type KeyChip = { name: string; value: string };
export type BreachRow = {
  id: string;
  /** The key people search by (a refund id, an order id…), first; the correlation id when the events carry none. */
  keys: KeyChip[];
  group: string;
  outcome: { label: string; tone: 'bad' | 'warn' };
  started: string;
  due: string;
  finished: string;
  overdue: string;
};

/** The business keys people know a transaction by, in the order they would look for it. */
const KEY_ORDER = ['refund_id', 'order_id', 'rma_id', 'payment_id', 'settlement_id', 'receipt_id', 'transfer_id', 'journal_id', 'sku'];

export function orderedKeys(keys: Readonly<Record<string, string>>, correlationId: string): KeyChip[] {
  const rank = (name: string) => (KEY_ORDER.includes(name) ? KEY_ORDER.indexOf(name) : KEY_ORDER.length);
  const chips = Object.entries(keys)
    .filter(([name, value]) => name !== 'correlation_id' && value !== '')
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
  return chips.length > 0 ? chips : [{ name: 'correlation_id', value: correlationId }];
}

/** A time on the SLA screen: the time of day when it is today, with the day otherwise. */
export function formatWhen(ms: number, now: number, options: { locale?: string; timeZone?: string } = {}): string {
  const day = (t: number) => new Intl.DateTimeFormat(options.locale, { day: 'numeric', month: 'short', timeZone: options.timeZone }).format(t);
  const clock = new Intl.DateTimeFormat(options.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: options.timeZone }).format(ms);
  return day(ms) === day(now) ? clock : `${day(ms)}, ${clock}`;
}

export function breachRow(b: SlaBreach, dimensions: readonly string[], now: number, options: { locale?: string; timeZone?: string } = {}): BreachRow {
  const open = b.outcome === 'open_breached';
  return {
    id: `${b.correlation_id}@${b.channel ?? ''}`,
    keys: orderedKeys(b.keys, b.correlation_id),
    group: dimensions.length === 0 ? '' : groupLabel(b.group, dimensions),
    outcome: open ? { label: 'Still open', tone: 'bad' } : { label: 'Finished late', tone: 'warn' },
    started: formatWhen(b.start_ms, now, options),
    due: formatWhen(b.due_ms, now, options),
    finished: b.end_ms === null ? 'not yet' : formatWhen(b.end_ms, now, options),
    overdue: open ? `open ${formatDuration(b.overdue_by_ms)} past the deadline` : `${formatDuration(b.overdue_by_ms)} late`,
  };
}

export function shapeBreaches(answer: SlaBreaches, dimensions: readonly string[], options: { locale?: string; timeZone?: string } = {}): BreachRow[] {
  return answer.breaches.map((b) => breachRow(b, dimensions, answer.at, options));
}

/** "1–50 of 312"; "none" when there is nothing. */
export function pageLabel(offset: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return 'none';
  return `${offset + 1}–${offset + shown} of ${total}`;
}

/**
 * A group in the page's URL (`?group=`): `channel:amazon`, dimensions joined by commas, values percent-encoded
 * so a comma or colon in one cannot split it.
 */
export function groupParam(group: Readonly<Record<string, string>>): string {
  return Object.entries(group)
    .map(([dimension, value]) => `${dimension}:${encodeURIComponent(value)}`)
    .join(',');
}

/** `?group=` read back against the policy's dimensions; anything that is not one of them is ignored. */
export function parseGroupParam(text: string, dimensions: readonly string[]): Record<string, string> {
  const group: Record<string, string> = {};
  if (text === '') return group;
  const known = [...dimensions].sort((a, b) => b.length - a.length);
  for (const item of text.split(',')) {
    const dimension = known.find((d) => item.startsWith(`${d}:`));
    if (dimension === undefined) continue;
    try {
      group[dimension] = decodeURIComponent(item.slice(dimension.length + 1));
    } catch {
      group[dimension] = item.slice(dimension.length + 1);
    }
  }
  return group;
}

/** `?view=lineage&key=…`: the lineage explorer for one key (a view switch keeps only the time range). */
export function lineageHref(key: string, current: string = window.location.search): string {
  const params = new URLSearchParams({ view: 'lineage', key });
  const kept = new URLSearchParams(current);
  for (const name of ['range', 'from', 'to']) {
    const value = kept.get(name);
    if (value !== null) params.set(name, value);
  }
  return `?${params}`;
}
