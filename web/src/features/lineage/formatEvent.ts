import type { EventStatus, LineageCorrelation, LineageResponse, StoredEvent } from '../../api/contracts';
import { formatDuration, formatOffset } from '../../format/duration';
import { formatCount, formatMoney, formatQuantity } from '../../format/number';
import { formatTimestamp, parseApiTime } from '../../format/time';
import type { TimeFormatOptions } from '../../format/time';

/** Locale and zone for every formatter here; the browser's own unless a test pins them. */
export type FormatOptions = TimeFormatOptions;

export type KeyChip = { name: string; value: string; isSearched: boolean };

/** One row of the lineage timeline, ready to render. */
export type TimelineEntry = {
  eventId: string;
  correlationId: string;
  at: number;
  time: string;
  /** Time since the first event of the whole lineage. */
  offset: string;
  flow: string;
  step: string;
  /** "shopify → oms", or just the emitting system. */
  route: string;
  status: EventStatus;
  statusLabel: string;
  /** "PSP_DECLINED (business): card declined", or null when the step carries no error. */
  error: string | null;
  amount: string | null;
  /** Other business dimensions worth a glance: sku × quantity, channel, region, location. */
  details: string[];
  keys: KeyChip[];
  replayOf: string | null;
};

export type CorrelationSummary = {
  correlationId: string;
  flows: string;
  /** "order_id = SO-1001, refund_id = RF-7" — how the walk got here. */
  linkedBy: string;
  depth: number;
  events: string;
  firstAt: string;
  /** From its first to its last event so far: how long the transaction has been running. */
  duration: string;
};

const STATUS_LABELS: Record<EventStatus, string> = {
  ok: 'OK',
  failed: 'Failed',
  retrying: 'Retrying',
  dead_lettered: 'Dead-lettered',
  skipped: 'Skipped',
};

export function statusLabel(status: EventStatus): string {
  return STATUS_LABELS[status];
}

/**
 * Every event of the lineage in the order it happened (event time; ingest time and id break ties, so the order
 * is the same on every load), each formatted for people.
 */
export function timelineEntries(response: LineageResponse, options: FormatOptions = {}): TimelineEntry[] {
  const events = [...response.events].sort(byEventTime);
  const first = events[0] === undefined ? 0 : parseApiTime(events[0].occurred_at);
  return events.map((event) => {
    const at = parseApiTime(event.occurred_at);
    return {
      eventId: event.event_id,
      correlationId: event.correlation_id,
      at,
      time: formatTimestamp(at, options),
      offset: formatOffset(at - first),
      flow: event.flow,
      step: event.step,
      route: event.target_system === null ? event.system : `${event.system} → ${event.target_system}`,
      status: event.status,
      statusLabel: statusLabel(event.status),
      error: describeError(event),
      amount: event.amount === null ? null : formatMoney(event.amount, event.currency ?? '', options.locale),
      details: eventDetails(event, options),
      keys: Object.entries(event.keys)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value, isSearched: value === response.key })),
      replayOf: event.replay_of,
    };
  });
}

export function correlationSummaries(response: LineageResponse, options: FormatOptions = {}): CorrelationSummary[] {
  return [...response.correlations]
    .sort((a, b) => a.depth - b.depth || parseApiTime(a.first_at) - parseApiTime(b.first_at))
    .map((c) => summarizeCorrelation(c, options));
}

/** The headline over the timeline: "2 correlations · 5 events · over 3 min 12 s". */
export function lineageHeadline(response: LineageResponse, options: FormatOptions = {}): string {
  const parts = [
    plural(response.correlations.length, 'correlation', options),
    plural(response.events.length, 'event', options),
  ];
  const times = response.events.map((e) => parseApiTime(e.occurred_at)).filter(Number.isFinite);
  if (times.length > 1) parts.push(`over ${formatDuration(Math.max(...times) - Math.min(...times))}`);
  return parts.join(' · ');
}

function summarizeCorrelation(c: LineageCorrelation, options: FormatOptions): CorrelationSummary {
  const first = parseApiTime(c.first_at);
  return {
    correlationId: c.correlation_id,
    flows: c.flows.join(', '),
    linkedBy: c.linked_by.length === 0 ? 'the searched id' : c.linked_by.map((k) => `${k.name} = ${k.value}`).join(', '),
    depth: c.depth,
    events: plural(c.event_count, 'event', options),
    firstAt: formatTimestamp(first, options),
    duration: formatDuration(parseApiTime(c.last_at) - first),
  };
}

function describeError(event: StoredEvent): string | null {
  if (event.error_code === null && event.error_message === null) return null;
  const code = event.error_code ?? 'Error';
  const kind = event.error_class === null ? '' : ` (${event.error_class})`;
  return event.error_message === null ? `${code}${kind}` : `${code}${kind}: ${event.error_message}`;
}

function eventDetails(event: StoredEvent, options: FormatOptions): string[] {
  const details: string[] = [];
  if (event.sku !== null) {
    details.push(event.quantity === null ? `SKU ${event.sku}` : `SKU ${event.sku} × ${formatQuantity(event.quantity, options.locale)}`);
  } else if (event.quantity !== null) {
    details.push(`quantity ${formatQuantity(event.quantity, options.locale)}`);
  }
  if (event.channel !== null) details.push(`channel ${event.channel}`);
  if (event.region !== null) details.push(`region ${event.region}`);
  if (event.location_id !== null) details.push(`location ${event.location_id}`);
  return details;
}

function byEventTime(a: StoredEvent, b: StoredEvent): number {
  return (
    parseApiTime(a.occurred_at) - parseApiTime(b.occurred_at) ||
    parseApiTime(a.observed_at) - parseApiTime(b.observed_at) ||
    a.event_id.localeCompare(b.event_id)
  );
}

function plural(count: number, noun: string, options: FormatOptions): string {
  return `${formatCount(count, options.locale)} ${noun}${count === 1 ? '' : 's'}`;
}
