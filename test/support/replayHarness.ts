import { startIngestPipeline, type IngestPipeline } from '../../collectors/pipeline/ingestPipeline.js';
import { loadConfig } from '../../server/config/config.js';
import { createLogger } from '../../server/logger.js';
import { createMetrics } from '../../server/metrics.js';
import type { IngestSteps } from '../../server/services/replay/replayEngine.js';
import { openStore, type StoreClients } from '../../server/store/clickhouse.js';
import { migrate } from '../../server/store/migrate.js';
import { schemaFor, type Schema } from '../../server/store/schema.js';

/**
 * The store side of a replay test, composed as `server/flowlens.ts` composes it: embedded ClickHouse in
 * `dataDir`, migrations, and the real ingest pipeline (validation, de-duplication, spool, loads) — what the
 * replay engine writes its steps through.
 */
export type ReplayStore = {
  store: StoreClients;
  schema: Schema;
  pipeline: IngestPipeline;
  /** Events through the API's ingest path, as the replay engine records its steps. */
  ingest: IngestSteps;
  /** Wait until everything acknowledged is loaded and queryable. */
  flush(): Promise<void>;
  close(): Promise<void>;
};

export const silentLogger = createLogger({ logLevel: 'silent' });

export async function openReplayStore(dataDir: string): Promise<ReplayStore> {
  const config = loadConfig({ env: { FLOWLENS_DATA_DIR: dataDir, FLOWLENS_LOG_LEVEL: 'silent' } });
  const store = openStore(config);
  const schema = schemaFor(config.clickhouseDatabase);
  await migrate(store.query, schema, silentLogger);
  const pipeline = await startIngestPipeline(config, store, schema, createMetrics(), silentLogger);
  return {
    store,
    schema,
    pipeline,
    ingest: (events) => pipeline.ingestor.ingest('replay', events.map((value, index) => ({ index, value })), 'flowlens'),
    flush: () => pipeline.events.flush(),
    close: async () => {
      await pipeline.close();
      await store.close();
    },
  };
}
