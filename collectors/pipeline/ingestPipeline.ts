import path from 'node:path';
import type { Config } from '../../server/config/config.js';
import type { Logger } from '../../server/logger.js';
import { createMetrics, type Metrics } from '../../server/metrics.js';
import type { StoreClients } from '../../server/store/clickhouse.js';
import type { EventRow } from '../../server/store/eventRows.js';
import { engineFileLoader, streamFileLoader } from '../../server/store/fileLoaders.js';
import type { Schema } from '../../server/store/schema.js';
import { spoolFileRowSink, type SpoolFileSink } from '../../server/store/spoolFileSink.js';
import { EventIngestor } from './eventIngestor.js';
import { GroupCommitter } from './groupCommit.js';

export type IngestPipeline = {
  ingestor: EventIngestor;
  metrics: Metrics;
  /** Finish in-flight batches and stop draining the spool. */
  close(): Promise<void>;
};

/**
 * The ingest path every receiver shares, in the server and in stand-alone collectors: validation and
 * de-duplication (EventIngestor) → group commit → the durable spool sink. Every batch passes through an fsync'd
 * spool file; embedded, the engine reads it (faster); with a server, its bytes are streamed. When the store is
 * down, spooled batches are acknowledged and drained later. Loads what an earlier run left in the spool first.
 */
export async function startIngestPipeline(config: Config, store: StoreClients, schema: Schema, logger: Logger): Promise<IngestPipeline> {
  const load = store.mode === 'embedded' ? engineFileLoader(store.ingest, schema, 'events') : streamFileLoader(store.ingest, schema, 'events');
  const sink: SpoolFileSink<EventRow> = spoolFileRowSink<EventRow>(store.ingest, schema, 'events', path.join(config.dataDir, 'flowlens-spool'), {
    load,
    maxSpoolBytes: config.spoolMaxBytes,
    onSpooled: (bytes) => logger.warn({ bytes }, 'store unavailable: batch acknowledged from the ingest spool, to be loaded later'),
    onError: (err) => logger.warn({ err }, 'loading a batch into the store failed'),
  });
  const recovered = await sink.recover();
  if (recovered > 0) logger.info({ batches: recovered }, 'loaded batches left in the ingest spool by an earlier run');
  sink.start(2_000);

  const committer: GroupCommitter<EventRow> = new GroupCommitter<EventRow>(sink, {
    maxBatchRows: config.ingestMaxBatchRows,
    maxPendingRows: config.ingestMaxPendingRows,
    onCommit: (rows, seconds) => {
      metrics.insertSeconds.observe({ table: 'events' }, seconds);
      metrics.insertRows.inc({ table: 'events' }, rows);
    },
    onFailure: (error, rows) => {
      metrics.insertFailures.inc({ table: 'events' });
      logger.warn({ err: error, rows }, 'insert into events failed');
    },
  });
  const metrics = createMetrics(() => committer.pendingRows, () => sink.spooled);
  return {
    ingestor: new EventIngestor(committer, metrics.ingest),
    metrics,
    close: async () => {
      await committer.drain();
      sink.stop();
    },
  };
}
