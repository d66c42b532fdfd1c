import path from 'node:path';
import type { Config } from '../../server/config/config.js';
import type { Logger } from '../../server/logger.js';
import type { Metrics } from '../../server/metrics.js';
import type { StoreClients } from '../../server/store/clickhouse.js';
import { engineFileLoader, streamFileLoader } from '../../server/store/fileLoaders.js';
import type { Schema, TableRole } from '../../server/store/schema.js';
import { spoolFileRowSink, type SpoolFileSink, type SpoolOptions } from '../../server/store/spoolFileSink.js';
import { GroupCommitter } from './groupCommit.js';

export type DurableTable<Row> = {
  committer: GroupCommitter<Row>;
  spool: SpoolFileSink<Row>;
  /** Resolves once every acknowledged row is loaded (or the store is found unavailable). */
  flush(): Promise<void>;
  /** Answer the requests in flight, then stop loading; what is still spooled loads at the next start. */
  close(): Promise<void>;
};

export type DurableTableOptions<Row, Note> = {
  role: TableRole;
  /** The table's name in metrics and logs. */
  label: string;
  /** Sub-folder of the data folder holding this table's spool. */
  spoolFolder: string;
  note?: SpoolOptions<Row, Note>['note'];
  onLoaded?: (notes: readonly (Note | undefined)[]) => void;
};

/**
 * One table's ingest path, shared by every receiver of it: group commit → write-ahead spool (the sender is
 * answered once its rows are fsync'd there) → background loads into ClickHouse, many batches per insert.
 * Embedded, the engine reads the spool files itself; with a ClickHouse server, their bytes are streamed.
 * Loads what an earlier run left in the spool before it returns.
 */
export async function openDurableTable<Row extends object, Note = never>(
  config: Config,
  store: StoreClients,
  schema: Schema,
  metrics: Metrics,
  logger: Logger,
  options: DurableTableOptions<Row, Note>,
): Promise<DurableTable<Row>> {
  const table = options.label;
  const load = store.mode === 'embedded' ? engineFileLoader(store.ingest, schema, options.role) : streamFileLoader(store.ingest, schema, options.role);
  const spool = spoolFileRowSink<Row, Note>(path.join(config.dataDir, options.spoolFolder), {
    load,
    maxSpoolBytes: config.spoolMaxBytes,
    maxGroupRows: config.ingestMaxLoadRows,
    note: options.note,
    onLoaded: ({ rows, seconds, notes }) => {
      metrics.insertSeconds.observe({ table }, seconds);
      metrics.insertRows.inc({ table }, rows);
      options.onLoaded?.(notes);
    },
    onStoreDown: (err) => {
      metrics.insertFailures.inc({ table });
      logger.warn({ err, table }, 'the store is unavailable: acknowledged batches wait in the spool, retried every 2 s');
    },
    onStoreBack: () => logger.info({ table }, 'the store answers again: loading the spooled batches'),
    onRejected: (segment, err) => {
      metrics.insertFailures.inc({ table });
      logger.error({ err, table, file: `${segment}.rejected` }, 'the store refused a spooled batch as bad data; it is kept aside in the spool folder');
    },
  });
  const found = await spool.recover();
  if (found > 0) logger.info({ table, batches: found }, 'loaded batches left in the ingest spool by an earlier run');
  const committer = new GroupCommitter<Row>(spool, {
    maxBatchRows: config.ingestMaxBatchRows,
    maxPendingRows: config.ingestMaxPendingRows,
    backlogRows: () => spool.backlogRows,
    onCommit: (_rows, seconds) => metrics.spoolWriteSeconds.observe({ table }, seconds),
    onFailure: (err, rows) => logger.warn({ err, table, rows }, 'writing a batch to the ingest spool failed'),
  });
  metrics.watchTable(table, { pendingRows: () => committer.pendingRows, waiting: () => spool.waiting });
  return {
    committer,
    spool,
    flush: async () => {
      await committer.drain();
      await spool.flush();
    },
    close: async () => {
      await committer.drain();
      await spool.close();
    },
  };
}
