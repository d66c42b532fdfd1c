import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventIngestor } from '../../collectors/pipeline/eventIngestor.js';
import { startIngestPipeline } from '../../collectors/pipeline/ingestPipeline.js';
import { loadConfig, type Config } from '../../server/config/config.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { createMetrics, type Metrics } from '../../server/metrics.js';
import type { StoredEvent } from '../../server/contracts/api.js';
import { openStore, type StoreClients } from '../../server/store/clickhouse.js';
import { fromEventRow, type EventRow } from '../../server/store/eventRows.js';
import { migrate } from '../../server/store/migrate.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor, type Schema } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';

export type IngestHarness = {
  ingestor: EventIngestor;
  store: StoreClients;
  schema: Schema;
  dataDir: string;
  config: Config;
  metrics: Metrics;
  logger: Logger;
  /** Wait until every acknowledged event is loaded into the store (the queries below do this first). */
  flush(): Promise<void>;
  /** Every stored event carrying this key value (any key name) or correlation id, each once, in time order. */
  eventsWithKey(value: string): Promise<StoredEvent[]>;
  /** How many distinct events are stored. */
  countEvents(): Promise<number>;
  close(): Promise<void>;
};

const quiet = { info: () => {}, warn: () => {} };

/**
 * The real ingest pipeline (startIngestPipeline: validation, de-duplication, group commit, spool sink) on embedded ClickHouse in a
 * temp folder, without HTTP: for testing a receiver's router or adapter against real storage. One per test file.
 */
export async function startIngestHarness(): Promise<IngestHarness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-harness-'));
  const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  const schema = schemaFor('flowlens');
  await migrate(store.query, schema, quiet);
  const config = loadConfig({ env: { FLOWLENS_DATA_DIR: dataDir } });
  const logger = createLogger({ logLevel: 'silent' });
  const metrics = createMetrics();
  const pipeline = await startIngestPipeline(config, store, schema, metrics, logger);
  const { ingestor } = pipeline;
  const flush = () => pipeline.events.flush();
  return {
    ingestor,
    store,
    schema,
    dataDir,
    config,
    metrics,
    logger,
    flush,
    async eventsWithKey(value) {
      await flush();
      const rows = await queryRows<EventRow>(
        store.query,
        sql`SELECT * FROM ${schema.table('events')}
            WHERE correlation_id = ${value} OR has(mapValues(keys), ${value})
            ORDER BY occurred_at, event_id
            LIMIT 1 BY event_id`,
      );
      return rows.map(fromEventRow);
    },
    async countEvents() {
      await flush();
      const [row] = await queryRows<{ n: string }>(store.query, sql`SELECT uniqExact(event_id) AS n FROM ${schema.table('events')}`);
      return Number(row?.n ?? 0);
    },
    async close() {
      await pipeline.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
