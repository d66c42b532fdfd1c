import type { EventStatus, LineageResponse, StoredEvent } from '../../api/contracts';
import { formatOffset } from '../../format/duration';
import { formatMoney, formatQuantity } from '../../format/number';
import { formatTimestamp, parseApiTime } from '../../format/time';
import type { TimeFormatOptions } from '../../format/time';

/** Locale and zone for every formatter here; the browser's own unless a test pins them. */
export type FormatOptions = TimeFormatOptions;

export type KeyChip = { name: string; value: string; isSearched: boolean };

/** One row of the lineage timeline, ready to render. */
export type TimelineEntry = {
  eventId: string;
  correlationId: string;
  /** The graph's step this event belongs to (`step`, or `step@channel`), to tie the row to its node. */
  stepId: string;
  at: number;
  time: string;
  /** Time since the first event of the whole lineage. */
  offset: string;
  flow: string;
  step: string;
  /** The system that reported it, for the per-system filter. */
  system: string;
  /** "shopify → oms", or just the emitting system. */
  route: string;
  status: EventStatus;
  statusLabel: string;
  /** "attempt 2 of 3" when the step took more than one try; null otherwise. */
  attempt: string | null;
  /** "PSP_DECLINED (business): card declined", or null when the step carries no error. */
  error: string | null;
  amount: string | null;
  /** Other business dimensions worth a glance: sku × quantity, channel, region, location. */
  details: string[];
  keys: KeyChip[];
  replayOf: string | null;
  traceId: string | null;
  spanId: string | null;
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
  const stepOf = stepIdsByEvent(response);
  const attempts = attemptsByEvent(events, stepOf);
  const first = events[0] === undefined ? 0 : parseApiTime(events[0].occurred_at);
  return events.map((event) => {
    const at = parseApiTime(event.occurred_at);
    return {
      eventId: event.event_id,
      correlationId: event.correlation_id,
      stepId: stepOf.get(event.event_id) ?? event.step,
      at,
      time: formatTimestamp(at, options),
      offset: formatOffset(at - first),
      flow: event.flow,
      step: event.step,
      system: event.system,
      route: event.target_system === null ? event.system : `${event.system} → ${event.target_system}`,
      status: event.status,
      statusLabel: statusLabel(event.status),
      attempt: attempts.get(event.event_id) ?? null,
      error: describeError(event),
      amount: event.amount === null ? null : formatMoney(event.amount, event.currency ?? '', options.locale),
      details: eventDetails(event, options),
      keys: Object.entries(event.keys)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value, isSearched: value === response.key })),
      replayOf: event.replay_of,
      traceId: event.trace_id,
      spanId: event.span_id,
    };
  });
}

/** Systems in the order they first reported something, with how many events each reported. */
export function timelineSystems(entries: readonly TimelineEntry[]): { system: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.system, (counts.get(entry.system) ?? 0) + 1);
  return [...counts.entries()].map(([system, count]) => ({ system, count }));
}

function stepIdsByEvent(response: LineageResponse): Map<string, string> {
  const ids = new Map<string, string>();
  for (const node of response.graph.nodes) {
    for (const lane of node.lanes) for (const step of lane.steps) for (const e of step.events) ids.set(e.event_id, step.id);
  }
  return ids;
}

/** "attempt k of n" for the events of a step that did not go through at the first try. */
function attemptsByEvent(events: readonly StoredEvent[], stepOf: ReadonlyMap<string, string>): Map<string, string> {
  const groups = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const id = `${event.correlation_id}\u0000${stepOf.get(event.event_id) ?? event.step}`;
    groups.set(id, [...(groups.get(id) ?? []), event]);
  }
  const attempts = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2 || group.every((e) => e.status === 'ok' || e.status === 'skipped')) continue;
    group.forEach((event, i) => attempts.set(event.event_id, `attempt ${i + 1} of ${group.length}`));
  }
  return attempts;
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
