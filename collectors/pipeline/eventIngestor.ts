import type { IngestResponse } from '../../server/contracts/api.js';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { toEventRow, type EventRow } from '../../server/store/eventRows.js';
import { toClickHouseTime } from '../../server/store/sql.js';
import type { GroupCommitter } from './groupCommit.js';
import { RecentIds } from './recentIds.js';

/** A record as a receiver decoded it: a value to validate, or the reason it could not be decoded. */
export type DecodedRecord = { index: number; value: unknown } | { index: number; decodeError: string };

export type IngestOutcome =
  | { kind: 'stored'; response: IngestResponse }
  | { kind: 'invalid'; response: IngestResponse }
  | { kind: 'unavailable'; status: 429 | 503; retryAfterSeconds: number; message: string };

/** Counted by receiver (`source`) and by the ingest key that sent them (`key`). */
export type IngestCounters = {
  accepted(source: string, key: string, n: number): void;
  /** `field` is the first field a rejected record failed on (`(record)` when it was not a JSON object). */
  rejected(source: string, key: string, field: string, n: number): void;
  duplicates(source: string, key: string, n: number): void;
};

const MAX_REPORTED_ERRORS = 100;

/**
 * Validate, de-duplicate and commit canonical events for every receiver. Answers only once the events are
 * durable (written to the spool, which loads them into the store), or with why they could not be taken.
 */
export class EventIngestor {
  readonly #recent: RecentIds;

  constructor(
    private readonly committer: GroupCommitter<EventRow>,
    private readonly counters: IngestCounters,
    recentIdCapacity = 250_000,
    private readonly now: () => number = Date.now,
  ) {
    this.#recent = new RecentIds(recentIdCapacity);
  }

  async ingest(source: string, records: readonly DecodedRecord[], key = 'default'): Promise<IngestOutcome> {
    const errors: IngestResponse['errors'] = [];
    let rejected = 0;
    const rejectedBy = new Map<string, number>();
    const reject = (field: string) => {
      rejected++;
      rejectedBy.set(field, (rejectedBy.get(field) ?? 0) + 1);
    };
    let duplicates = 0;
    const rows: EventRow[] = [];
    const seen = new Set<string>();
    const observedAt = toClickHouseTime(this.now());
    for (const record of records) {
      if ('decodeError' in record) {
        reject('(record)');
        if (errors.length < MAX_REPORTED_ERRORS) errors.push({ index: record.index, field: '(record)', message: record.decodeError });
        continue;
      }
      const result = validateEvent(record.value);
      if (!result.ok) {
        reject(result.issues[0]?.field ?? '(record)');
        for (const issue of result.issues) {
          if (errors.length < MAX_REPORTED_ERRORS) errors.push({ index: record.index, ...issue });
        }
        continue;
      }
      const id = result.event.event_id;
      if (seen.has(id) || this.#recent.has(id)) {
        duplicates++;
        continue;
      }
      seen.add(id);
      rows.push(toEventRow(result.event, observedAt));
    }
    const accepted = rows.length + duplicates;
    const response: IngestResponse = { accepted, duplicates, rejected, errors, errors_truncated: errors.length >= MAX_REPORTED_ERRORS };
    for (const [field, n] of rejectedBy) this.counters.rejected(source, key, field, n);
    if (accepted === 0) return { kind: 'invalid', response };

    const outcome = await this.committer.submit(rows);
    if (!outcome.ok) {
      const status = outcome.reason === 'overloaded' ? 429 : 503;
      return { kind: 'unavailable', status, retryAfterSeconds: Math.max(1, outcome.retryAfterSeconds), message: outcome.message };
    }
    for (const row of rows) this.#recent.add(row.event_id);
    this.counters.accepted(source, key, rows.length);
    this.counters.duplicates(source, key, duplicates);
    return { kind: 'stored', response };
  }
}
