import type { StoredEvent } from '../contracts/api.js';
import type { CanonicalEvent } from '../contracts/canonicalEvent.js';
import { toClickHouseTime } from './sql.js';

/** A canonical event as a JSONEachRow row of the business events table. Optional text is stored as ''. */
export type EventRow = {
  event_id: string;
  correlation_id: string;
  flow: string;
  step: string;
  system: string;
  target_system: string;
  channel: string;
  region: string;
  location_id: string;
  sku: string;
  quantity: number | null;
  amount: string | null;
  currency: string;
  status: string;
  error_code: string;
  error_class: string;
  error_message: string;
  occurred_at: string;
  observed_at: string;
  keys: Record<string, string>;
  payload: string;
  replay_target: string;
  trace_id: string;
  span_id: string;
  replay_of: string;
};

/** `observedAt` is the ingest time, already formatted (once per request, not per event). */
export function toEventRow(e: CanonicalEvent, observedAt: string): EventRow {
  return {
    event_id: e.event_id,
    correlation_id: e.correlation_id,
    flow: e.flow,
    step: e.step,
    system: e.system,
    target_system: e.target_system ?? '',
    channel: e.channel ?? '',
    region: e.region ?? '',
    location_id: e.location_id ?? '',
    sku: e.sku ?? '',
    quantity: e.quantity ?? null,
    amount: e.amount ?? null,
    currency: e.currency ?? '',
    status: e.status,
    error_code: e.error_code ?? '',
    error_class: e.error_class ?? '',
    error_message: e.error_message ?? '',
    occurred_at: toClickHouseTime(e.occurred_at),
    observed_at: e.observed_at === undefined ? observedAt : toClickHouseTime(e.observed_at),
    keys: e.keys,
    payload: e.payload ?? '',
    replay_target: e.replay_target ?? '',
    trace_id: e.trace_id ?? '',
    span_id: e.span_id ?? '',
    replay_of: e.replay_of ?? '',
  };
}

/** A stored row as the API shows it: '' back to null, times as ISO 8601 UTC, amounts as decimal strings. */
export function fromEventRow(row: EventRow): StoredEvent {
  const opt = (v: string) => (v === '' ? null : v);
  return {
    event_id: row.event_id,
    correlation_id: row.correlation_id,
    flow: row.flow,
    step: row.step,
    system: row.system,
    target_system: opt(row.target_system),
    channel: opt(row.channel),
    region: opt(row.region),
    location_id: opt(row.location_id),
    sku: opt(row.sku),
    quantity: row.quantity === null ? null : Number(row.quantity),
    amount: row.amount === null ? null : String(row.amount),
    currency: opt(row.currency),
    status: row.status as StoredEvent['status'],
    error_code: opt(row.error_code),
    error_class: opt(row.error_class) as StoredEvent['error_class'],
    error_message: opt(row.error_message),
    occurred_at: fromClickHouseTime(row.occurred_at),
    observed_at: fromClickHouseTime(row.observed_at),
    keys: row.keys,
    payload: opt(row.payload),
    replay_target: opt(row.replay_target),
    trace_id: opt(row.trace_id),
    span_id: opt(row.span_id),
    replay_of: opt(row.replay_of),
  };
}

export function fromClickHouseTime(text: string): string {
  return `${text.replace(' ', 'T')}Z`;
}

/** Epoch milliseconds of the earliest occurred_at among rows (their text sorts as their time does). */
export function earliestOccurredAt(rows: readonly EventRow[]): number {
  let earliest = rows[0]?.occurred_at;
  for (const row of rows) if (row.occurred_at < earliest!) earliest = row.occurred_at;
  return earliest === undefined ? Date.now() : Date.parse(fromClickHouseTime(earliest));
}
