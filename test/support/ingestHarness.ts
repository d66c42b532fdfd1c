import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventIngestor } from '../../collectors/pipeline/eventIngestor.js';
import { GroupCommitter } from '../../collectors/pipeline/groupCommit.js';
import type { StoredEvent } from '../../server/contracts/api.js';
import { openStore, type StoreClients } from '../../server/store/clickhouse.js';
import { fromEventRow, type EventRow } from '../../server/store/eventRows.js';
import { migrate } from '../../server/store/migrate.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor, type Schema } from '../../server/store/schema.js';
import { spoolFileRowSink } from '../../server/store/spoolFileSink.js';
import { sql } from '../../server/store/sql.js';

export type IngestHarness = {
  ingestor: EventIngestor;
  store: StoreClients;
  schema: Schema;
  dataDir: string;
  /** Every stored event carrying this key value (any key name) or correlation id, each once, in time order. */
  eventsWithKey(value: string): Promise<StoredEvent[]>;
  /** How many distinct events are stored. */
  countEvents(): Promise<number>;
  close(): Promise<void>;
};

const quiet = { info: () => {}, warn: () => {} };
const noCounters = { accepted: () => {}, rejected: () => {}, duplicates: () => {} };

/**
 * The real ingest pipeline (validation, de-duplication, group commit, spool sink) on embedded ClickHouse in a
 * temp folder, without HTTP: for testing a receiver's router or adapter against real storage. One per test file.
 */
export async function startIngestHarness(): Promise<IngestHarness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-harness-'));
  const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  const schema = schemaFor('flowlens');
  await migrate(store.query, schema, quiet);
  const sink = spoolFileRowSink<EventRow>(store.ingest, schema, 'events', path.join(dataDir, 'flowlens-spool'));
  const committer = new GroupCommitter<EventRow>(sink, { maxBatchRows: 50_000, maxPendingRows: 200_000 });
  const ingestor = new EventIngestor(committer, noCounters);
  return {
    ingestor,
    store,
    schema,
    dataDir,
    async eventsWithKey(value) {
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
      const [row] = await queryRows<{ n: string }>(store.query, sql`SELECT uniqExact(event_id) AS n FROM ${schema.table('events')}`);
      return Number(row?.n ?? 0);
    },
    async close() {
      await committer.drain();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
