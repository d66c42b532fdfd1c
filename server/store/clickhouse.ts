import { mkdirSync } from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config/config.js';
import { CLUSTER_SESSION_SETTINGS } from './clusterDdl.js';
import { createEmbeddedConnection } from './embeddedConnection.js';

/**
 * Connection factory. Embedded (chDB, one engine bound to the data folder) unless CLICKHOUSE_URL is set.
 * Two clients: ingest inserts never queue behind dashboard queries on the same connection (DESIGN.md).
 */

/**
 * Engine connections behind the embedded query client, one of them background work's: a screen's cheap query
 * runs beside an answer recomputed behind the screens and the lag snapshot's rebuild instead of waiting for
 * them (embeddedConnection.ts).
 */
export const EMBEDDED_QUERY_CONNECTIONS = 4;
type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export type StoreClients = {
  mode: 'embedded' | 'server';
  ingest: ClickHouseClient;
  query: ClickHouseClient;
  close(): Promise<void>;
};

type StoreConfig = Pick<Config, 'clickhouseUrl' | 'clickhouseUser' | 'clickhousePassword' | 'dataDir'> & Partial<Pick<Config, 'clickhouseCluster'>>;

export function openStore(config: StoreConfig): StoreClients {
  if (config.clickhouseUrl) {
    const make = () =>
      createClient({
        url: config.clickhouseUrl,
        username: config.clickhouseUser,
        password: config.clickhousePassword,
        // On a cluster, inserts through Distributed tables wait for their shards and keep deduplicating (clusterDdl.ts).
        ...(config.clickhouseCluster === undefined ? {} : { clickhouse_settings: { ...CLUSTER_SESSION_SETTINGS } }),
      });
    return withClose('server', make(), make());
  }
  mkdirSync(config.dataDir, { recursive: true });
  // chdb types its connection against its own copy of @clickhouse/client-common; the shapes are the same.
  const make = (size: number) => createClient({ connection: createEmbeddedConnection(config.dataDir, size) as unknown as ClientConnection });
  return withClose('embedded', make(1), make(EMBEDDED_QUERY_CONNECTIONS));
}

function withClose(mode: StoreClients['mode'], ingest: ClickHouseClient, query: ClickHouseClient): StoreClients {
  return {
    mode,
    ingest,
    query,
    close: async () => {
      await Promise.allSettled([ingest.close(), query.close()]);
    },
  };
}
