import { randomUUID } from 'node:crypto';
import type { RowSink, WriteResult } from '../../server/store/rowSink.js';

/**
 * Group commit: requests that arrive while a write is in flight are written together in the next write, and
 * each request's promise settles only once the sink took its rows (durably). A request's rows always travel in
 * one write, so a request is stored whole or not at all. The queue is bounded: past `maxPendingRows` (rows queued
 * here plus the sink's `backlogRows`, rows it holds but has not stored yet) new work is refused at once with a
 * Retry-After, as OTLP clients expect, rather than buffered without limit.
 */

export type CommitOutcome =
  | { ok: true }
  | { ok: false; reason: 'overloaded' | 'unavailable' | 'rejected'; retryAfterSeconds: number; message: string };

export type GroupCommitOptions = {
  maxBatchRows: number;
  maxPendingRows: number;
  /** Rows the sink acknowledged but has not stored yet; they count against `maxPendingRows`. */
  backlogRows?: () => number;
  retry?: { attempts: number; baseDelayMs: number };
  onCommit?: (rows: number, seconds: number) => void;
  onFailure?: (error: Error, rows: number) => void;
};

type Pending<Row> = { rows: readonly Row[]; settle: (o: CommitOutcome) => void };

export class GroupCommitter<Row> {
  #queue: Pending<Row>[] = [];
  #pendingRows = 0;
  #flushing: Promise<void> | undefined;
  readonly #retry: { attempts: number; baseDelayMs: number };

  constructor(
    private readonly sink: RowSink<Row>,
    private readonly options: GroupCommitOptions,
  ) {
    this.#retry = options.retry ?? { attempts: 4, baseDelayMs: 100 };
  }

  /** Rows accepted but not yet written to the sink (queued or in flight). */
  get pendingRows(): number {
    return this.#pendingRows;
  }

  submit(rows: readonly Row[]): Promise<CommitOutcome> {
    if (rows.length === 0) return Promise.resolve({ ok: true });
    const waiting = this.#pendingRows + (this.options.backlogRows?.() ?? 0);
    if (waiting > 0 && waiting + rows.length > this.options.maxPendingRows) {
      return Promise.resolve({
        ok: false,
        reason: 'overloaded',
        retryAfterSeconds: 1,
        message: `ingest queue is full (${waiting} rows waiting to be stored); retry shortly`,
      });
    }
    this.#pendingRows += rows.length;
    const outcome = new Promise<CommitOutcome>((settle) => this.#queue.push({ rows, settle }));
    this.#flushing ??= this.#flushLoop();
    return outcome;
  }

  /** Resolves once everything submitted so far has settled (used at shutdown). */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flushLoop(): Promise<void> {
    try {
      // Yield once so requests arriving in the same tick share the first insert.
      await Promise.resolve();
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        const rowCount = batch.reduce((n, p) => n + p.rows.length, 0);
        const outcome = await this.#commit(batch);
        this.#pendingRows -= rowCount;
        for (const p of batch) p.settle(outcome.get(p) ?? { ok: true });
      }
    } finally {
      // Cleared in the same microtask that saw the queue empty: a submit made by a settled caller's
      // continuation runs later and starts a new loop rather than waiting on this finished one.
      this.#flushing = undefined;
    }
  }

  #takeBatch(): Pending<Row>[] {
    const batch: Pending<Row>[] = [];
    let rows = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      if (batch.length > 0 && rows + next.rows.length > this.options.maxBatchRows) break;
      batch.push(this.#queue.shift()!);
      rows += next.rows.length;
    }
    return batch;
  }

  /** Write the batch; if the store rejects it as bad data, write its requests one by one so one bad request does not sink its neighbours. */
  async #commit(batch: Pending<Row>[]): Promise<Map<Pending<Row>, CommitOutcome>> {
    const outcomes = new Map<Pending<Row>, CommitOutcome>();
    const rows = batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows);
    const result = await this.#writeWithRetry(rows);
    if (result.ok || result.retryable || batch.length === 1) {
      const outcome = toOutcome(result);
      for (const p of batch) outcomes.set(p, outcome);
      return outcomes;
    }
    for (const p of batch) outcomes.set(p, toOutcome(await this.#writeWithRetry(p.rows)));
    return outcomes;
  }

  async #writeWithRetry(rows: readonly Row[]): Promise<WriteResult> {
    const token = randomUUID();
    let result: WriteResult = { ok: false, retryable: true, error: new Error('not attempted') };
    for (let attempt = 0; attempt < this.#retry.attempts; attempt++) {
      if (attempt > 0) await sleep(this.#retry.baseDelayMs * 4 ** (attempt - 1));
      const started = performance.now();
      result = await this.sink.write(rows, token).catch((err: unknown) => ({
        ok: false as const,
        retryable: true,
        error: err instanceof Error ? err : new Error(String(err)),
      }));
      if (result.ok) {
        this.options.onCommit?.(rows.length, (performance.now() - started) / 1000);
        return result;
      }
      this.options.onFailure?.(result.error, rows.length);
      if (!result.retryable) return result;
    }
    return result;
  }
}

function toOutcome(result: WriteResult): CommitOutcome {
  if (result.ok) return { ok: true };
  return result.retryable
    ? { ok: false, reason: 'unavailable', retryAfterSeconds: 5, message: `the event store is unavailable: ${result.error.message}` }
    : { ok: false, reason: 'rejected', retryAfterSeconds: 0, message: `the event store refused the events: ${result.error.message}` };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
