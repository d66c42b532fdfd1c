import path from 'node:path';
import type { Config } from '../../server/config/config.js';
import type { Logger } from '../../server/logger.js';
import type { Metrics } from '../../server/metrics.js';
import type { StoreClients } from '../../server/store/clickhouse.js';
import { engineFileLoader, streamFileLoader } from '../../server/store/fileLoaders.js';
import type { Schema } from '../../server/store/schema.js';
import { spoolFileRowSink } from '../../server/store/spoolFileSink.js';
import { GroupCommitter } from '../pipeline/groupCommit.js';
import type { OtelTraceRow } from './otelTraceRow.js';

export type SpanPipeline = { spans: GroupCommitter<OtelTraceRow>; close(): Promise<void> };

/** Spans take the same durable way as business events (group commit → spool file → ClickHouse), into otel_traces. */
export async function startSpanPipeline(config: Config, store: StoreClients, schema: Schema, metrics: Metrics, logger: Logger): Promise<SpanPipeline> {
  const load = store.mode === 'embedded' ? engineFileLoader(store.ingest, schema, 'otelTraces') : streamFileLoader(store.ingest, schema, 'otelTraces');
  const sink = spoolFileRowSink<OtelTraceRow>(store.ingest, schema, 'otelTraces', path.join(config.dataDir, 'flowlens-spool-otel'), {
    load,
    maxSpoolBytes: config.spoolMaxBytes,
    onSpooled: (bytes) => logger.warn({ bytes }, 'store unavailable: span batch acknowledged from the spool, to be loaded later'),
    onError: (err) => logger.warn({ err }, 'loading a span batch into the store failed'),
  });
  await sink.recover();
  sink.start(2_000);
  const spans = new GroupCommitter<OtelTraceRow>(sink, {
    maxBatchRows: config.ingestMaxBatchRows,
    maxPendingRows: config.ingestMaxPendingRows,
    onCommit: (rows, seconds) => {
      metrics.insertSeconds.observe({ table: 'otel_traces' }, seconds);
      metrics.insertRows.inc({ table: 'otel_traces' }, rows);
    },
    onFailure: (error, rows) => {
      metrics.insertFailures.inc({ table: 'otel_traces' });
      logger.warn({ err: error, rows }, 'insert into otel_traces failed');
    },
  });
  return {
    spans,
    close: async () => {
      await spans.drain();
      sink.stop();
    },
  };
}
