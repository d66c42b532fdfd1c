import type { Config } from '../../server/config/config.js';
import type { Logger } from '../../server/logger.js';
import type { Metrics } from '../../server/metrics.js';
import type { StoreClients } from '../../server/store/clickhouse.js';
import { earliestOccurredAt, type EventRow } from '../../server/store/eventRows.js';
import type { Schema } from '../../server/store/schema.js';
import { openDurableTable, type DurableTable } from './durableTable.js';
import { EventIngestor } from './eventIngestor.js';

export type IngestPipeline = {
  ingestor: EventIngestor;
  events: DurableTable<EventRow>;
  /**
   * Called when acknowledged events reach the store (live views refresh then), with the earliest event time
   * loaded, or undefined when the batch was left by an earlier run and its times are not known here.
   */
  onLoaded(listener: (earliestEventMs: number | undefined) => void): () => void;
  close(): Promise<void>;
};

/**
 * The business-event path every receiver shares, in the server and in stand-alone collectors: validation and
 * de-duplication (EventIngestor) → the events table's durable path (group commit → spool → ClickHouse).
 */
export async function startIngestPipeline(config: Config, store: StoreClients, schema: Schema, metrics: Metrics, logger: Logger): Promise<IngestPipeline> {
  const listeners = new Set<(earliestEventMs: number | undefined) => void>();
  const events = await openDurableTable<EventRow, number>(config, store, schema, metrics, logger, {
    role: 'events',
    label: 'events',
    spoolFolder: 'flowlens-spool',
    note: earliestOccurredAt,
    onLoaded: (notes) => {
      const earliest = notes.some((n) => n === undefined) ? undefined : Math.min(...(notes as number[]));
      for (const listener of listeners) listener(earliest);
    },
  });
  return {
    ingestor: new EventIngestor(events.committer, metrics.ingest),
    events,
    onLoaded: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => events.close(),
  };
}
