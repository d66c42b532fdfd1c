import type { KeyHit } from '../../domain/lineage.js';
import { fromClickHouseTime, type EventRow } from '../eventRows.js';

/**
 * What the engine would do to a few stored lineage rows (merge, de-duplicate, order, cut), done in Node: every
 * step of a ClickHouse pipeline costs a millisecond or two of the embedded engine, and a walk's hop holds a
 * handful of rows (issue 5). Orders are the engine's: strings compare as UTF-8 bytes, times as their text.
 */

/** A time span in epoch milliseconds. */
export type Span = { firstAt: number; lastAt: number };

/** Compare two strings as ClickHouse compares `String`s: by their UTF-8 bytes. */
export function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order is UTF-8 byte order except between surrogates and U+E000–U+FFFF, so only those need bytes.
  return /[\ud800-\udfff]/.test(a) || /[\ud800-\udfff]/.test(b) ? Buffer.compare(Buffer.from(a), Buffer.from(b)) : a < b ? -1 : 1;
}

/**
 * Which hits a key lookup keeps when there are more than it may: `first` in time order (a hop of a walk, the
 * transactions a key led to first) or `latest` (a search: the most recent of the transactions a key names, such
 * as the last sales and receipts of a SKU at a location).
 */
export type HitOrder = 'first' | 'latest';

/**
 * Key lookup rows as stored (one per loaded event until the table merges them) merged per key value, key name,
 * correlation and flow (earliest first, latest last), then the first `limit` in `order` — as `GROUP BY key_value,
 * key_name, correlation_id, flow ORDER BY first_ms (or last_ms DESC), correlation_id, key_value, key_name, flow
 * LIMIT n`.
 */
export function keyHits(rows: readonly KeyHit[], limit: number, order: HitOrder = 'first'): KeyHit[] {
  const merged = new Map<string, KeyHit>();
  for (const row of rows) {
    const id = JSON.stringify([row.keyValue, row.keyName, row.correlationId, row.flow]);
    const hit = merged.get(id);
    if (!hit) merged.set(id, { ...row });
    else {
      hit.firstAt = Math.min(hit.firstAt, row.firstAt);
      hit.lastAt = Math.max(hit.lastAt, row.lastAt);
    }
  }
  const byTime = order === 'first' ? (a: KeyHit, b: KeyHit) => a.firstAt - b.firstAt : (a: KeyHit, b: KeyHit) => b.lastAt - a.lastAt;
  return [...merged.values()]
    .sort((a, b) => byTime(a, b) || byteOrder(a.correlationId, b.correlationId) || byteOrder(a.keyValue, b.keyValue) || byteOrder(a.keyName, b.keyName) || byteOrder(a.flow, b.flow))
    .slice(0, limit);
}

/**
 * Each event once — of an event stored twice, the earliest copy, then the copy observed first — in time order:
 * `ORDER BY occurred_at, event_id, observed_at LIMIT 1 BY event_id`.
 */
export function eachEventOnce(rows: readonly EventRow[]): EventRow[] {
  const byTime = (a: EventRow, b: EventRow) =>
    (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0) || byteOrder(a.event_id, b.event_id) || (a.observed_at < b.observed_at ? -1 : a.observed_at > b.observed_at ? 1 : 0);
  const kept = new Map<string, EventRow>();
  for (const row of rows) {
    const seen = kept.get(row.event_id);
    if (!seen || byTime(row, seen) < 0) kept.set(row.event_id, row);
  }
  return [...kept.values()].sort(byTime);
}

/** Each correlation's span over every stored row of it (copies of a re-sent event included). */
export function spansOf(rows: readonly EventRow[]): Map<string, Span> {
  const text = new Map<string, { first: string; last: string }>();
  for (const row of rows) {
    const span = text.get(row.correlation_id);
    if (!span) text.set(row.correlation_id, { first: row.occurred_at, last: row.occurred_at });
    else {
      if (row.occurred_at < span.first) span.first = row.occurred_at;
      if (row.occurred_at > span.last) span.last = row.occurred_at;
    }
  }
  return new Map([...text].map(([id, { first, last }]) => [id, { firstAt: Date.parse(fromClickHouseTime(first)), lastAt: Date.parse(fromClickHouseTime(last)) }]));
}
