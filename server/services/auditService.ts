import { randomUUID } from 'node:crypto';
import type { StoreClients } from '../store/clickhouse.js';
import { appendAuditRows, auditLog, type AuditFilter, type AuditPage, type AuditRow } from '../store/queries/audit.js';
import type { Schema } from '../store/schema.js';

/**
 * The audit trail's writer and reader. Rows are kept in memory for at most `flushMs` (1 s) and written in one
 * insert; a failed insert is logged as an error and retried with back-off (the same batch, so a retry of an insert
 * that did land is stored once), while new rows wait behind it. Nothing is dropped silently: past `maxPending`
 * rows (the store down for long) new rows are refused with an error in the log, and rows still unwritten at
 * close are written to the log in full.
 */

/** A row to record; the service gives it its id. */
export type AuditEntry = Omit<AuditRow, 'audit_id'>;

/** Where rows go: the store's insert, or a test double. */
export type AuditSink = (rows: readonly AuditRow[]) => Promise<void>;
export type AuditReader = (filter: AuditFilter) => Promise<AuditPage>;

type Logger = { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export type AuditService = {
  /** Queue a row; written within `flushMs`. Never throws. */
  record(entry: AuditEntry): void;
  /** Write what is queued now (resolves once tried; a failure is retried later). */
  flush(): Promise<void>;
  /** The trail, newest first. */
  list(filter: AuditFilter): Promise<AuditPage>;
  /** Rows recorded but not yet written. */
  pending(): number;
  /** Write what is left, trying for up to `timeoutMs`; rows that could not be written go to the log. */
  close(timeoutMs?: number): Promise<void>;
};

export type AuditServiceOptions = {
  sink: AuditSink;
  reader: AuditReader;
  logger: Logger;
  flushMs?: number;
  maxPending?: number;
  maxBatch?: number;
  /** Waits between failed attempts; the last one repeats. */
  retryMs?: readonly number[];
};

export function createAuditService(options: AuditServiceOptions): AuditService {
  const { sink, reader, logger } = options;
  const flushMs = options.flushMs ?? 1000;
  const maxPending = options.maxPending ?? 100_000;
  const maxBatch = options.maxBatch ?? 10_000;
  const retryMs = options.retryMs ?? [1000, 2000, 5000, 10_000, 30_000];
  const queue: AuditRow[] = [];
  const batches: AuditRow[][] = [];
  let failures = 0;
  let refused = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const pending = () => queue.length + batches.reduce((n, b) => n + b.length, 0);
  const schedule = (delay: number) => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, delay);
    timer.unref();
  };

  const drain = async () => {
    while (queue.length > 0) batches.push(queue.splice(0, maxBatch));
    while (batches.length > 0) {
      const batch = batches[0]!;
      try {
        await sink(batch);
        batches.shift();
        if (failures > 0) logger.warn({ attempts: failures + 1, rows: batch.length }, 'audit trail: written after earlier failures');
        failures = 0;
      } catch (err) {
        failures++;
        logger.error({ err, pending: pending(), attempt: failures }, 'audit trail: rows could not be written; retrying');
        return false;
      }
    }
    return true;
  };

  const flush = (): Promise<void> => {
    running ??= drain().then((ok) => {
      running = undefined;
      if (!ok) schedule(retryMs[Math.min(failures, retryMs.length) - 1] ?? flushMs);
      else if (queue.length > 0) schedule(flushMs);
    });
    return running;
  };

  return {
    record(entry) {
      if (pending() >= maxPending) {
        refused++;
        if (refused === 1 || refused % 1000 === 0) logger.error({ refused, pending: pending(), action: entry.action, actor: entry.actor }, 'audit trail: too many rows waiting to be written; rows are being refused');
        return;
      }
      refused = 0;
      queue.push({ audit_id: randomUUID(), ...entry });
      if (queue.length >= maxBatch) void flush();
      else schedule(flushMs);
    },
    flush,
    list: (filter) => reader(filter),
    pending,
    async close(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      closed = true;
      while (pending() > 0 && Date.now() < deadline) {
        await flush();
        if (pending() > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now()))));
      }
      const left = [...batches.flat(), ...queue];
      for (const row of left) logger.error({ audit: row }, 'audit trail: row not written before shutdown');
    },
  };
}

/** The audit service on the store: inserts on the ingest connection, reads on the query one. */
export function storeAuditService(store: StoreClients, schema: Schema, logger: Logger, options: Partial<AuditServiceOptions> = {}): AuditService {
  return createAuditService({
    sink: (rows) => appendAuditRows(store.ingest, schema, rows),
    reader: (filter) => auditLog(store.query, schema, filter),
    logger,
    ...options,
  });
}
