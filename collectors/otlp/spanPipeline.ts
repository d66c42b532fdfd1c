import type { Config } from '../../server/config/config.js';
import type { Logger } from '../../server/logger.js';
import type { Metrics } from '../../server/metrics.js';
import type { StoreClients } from '../../server/store/clickhouse.js';
import type { Schema } from '../../server/store/schema.js';
import { openDurableTable, type DurableTable } from '../pipeline/durableTable.js';
import type { OtelTraceRow } from './otelTraceRow.js';

/** Spans take the same durable way as business events (group commit → spool → ClickHouse), into otel_traces. */
export function startSpanPipeline(config: Config, store: StoreClients, schema: Schema, metrics: Metrics, logger: Logger): Promise<DurableTable<OtelTraceRow>> {
  return openDurableTable<OtelTraceRow>(config, store, schema, metrics, logger, { role: 'otelTraces', label: 'otel_traces', spoolFolder: 'flowlens-spool-otel' });
}
