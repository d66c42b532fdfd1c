import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestCounters } from '../collectors/pipeline/eventIngestor.js';

/** Flowlens's own metrics, exposed in Prometheus text format at /metrics. One registry per server instance. */
export type Metrics = {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  ingest: IngestCounters;
  webhooksIgnored: Counter<'source' | 'type'>;
  insertSeconds: Histogram<'table'>;
  insertRows: Counter<'table'>;
  insertFailures: Counter<'table'>;
  spoolWriteSeconds: Histogram<'table'>;
  /** Report a table's ingest queue and spool in the gauges, labelled with the table. */
  watchTable(table: string, state: TableIngestState): void;
};

/** What one table's ingest path holds: rows queued for the spool, and acknowledged batches not loaded yet. */
export type TableIngestState = { pendingRows: () => number; waiting: () => { batches: number; bytes: number } };

export function createMetrics(): Metrics {
  const watched = new Map<string, TableIngestState>();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'flowlens_process_' });
  const ingested = new Counter({ name: 'flowlens_events_ingested_total', help: 'Events committed to the store, by receiver and ingest key', labelNames: ['source', 'key'], registers: [registry] });
  const rejected = new Counter({
    name: 'flowlens_events_rejected_total',
    help: 'Records refused as invalid, by receiver, ingest key and the first field they failed on',
    labelNames: ['source', 'key', 'field'],
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'flowlens_events_duplicate_total',
    help: 'Events recognised as already stored and not written again, by receiver and ingest key',
    labelNames: ['source', 'key'],
    registers: [registry],
  });
  const insertSeconds = new Histogram({
    name: 'flowlens_store_insert_duration_seconds',
    help: 'Time to load one group of spooled batches into ClickHouse',
    labelNames: ['table'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const insertRows = new Counter({ name: 'flowlens_store_inserted_rows_total', help: 'Rows committed to ClickHouse', labelNames: ['table'], registers: [registry] });
  const insertFailures = new Counter({ name: 'flowlens_store_insert_failures_total', help: 'Failed insert attempts', labelNames: ['table'], registers: [registry] });
  const spoolWriteSeconds = new Histogram({
    name: 'flowlens_spool_write_duration_seconds',
    help: 'Time to write one batch durably (fsync) to the ingest spool, after which its senders are answered',
    labelNames: ['table'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: (state: TableIngestState) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['table'],
      registers: [registry],
      collect() {
        for (const [table, state] of watched) this.set({ table }, read(state));
      },
    });
  gauge('flowlens_ingest_pending_rows', 'Rows accepted by a receiver and waiting to be written to the spool', (s) => s.pendingRows());
  gauge('flowlens_ingest_spool_batches', 'Acknowledged batches in the spool, waiting to be loaded into ClickHouse', (s) => s.waiting().batches);
  gauge('flowlens_ingest_spool_bytes', 'Bytes of acknowledged batches in the spool, waiting to be loaded', (s) => s.waiting().bytes);
  const webhooksIgnored = new Counter({
    name: 'flowlens_webhooks_ignored_total',
    help: 'Verified webhook deliveries acknowledged but not stored (a topic or event type no flow step uses)',
    labelNames: ['source', 'type'],
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'flowlens_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status (refusals by reason: 401, 413, 429, …)',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    webhooksIgnored,
    ingest: {
      accepted: (source, key, n) => n > 0 && ingested.inc({ source, key }, n),
      rejected: (source, key, field, n) => n > 0 && rejected.inc({ source, key, field }, n),
      duplicates: (source, key, n) => n > 0 && duplicates.inc({ source, key }, n),
    },
    insertSeconds,
    insertRows,
    insertFailures,
    spoolWriteSeconds,
    watchTable: (table, state) => watched.set(table, state),
  };
}
