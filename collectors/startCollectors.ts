import type { Config } from '../server/config/config.js';
import type { Logger } from '../server/logger.js';
import { createMetrics, type Metrics } from '../server/metrics.js';
import type { StoreClients } from '../server/store/clickhouse.js';
import { migrate } from '../server/store/migrate.js';
import { MIGRATIONS } from '../server/store/migrations/index.js';
import type { Schema } from '../server/store/schema.js';
import { collectorOptionsFrom, type CollectorOptions } from './collectorRoutes.js';
import { watchInbox } from './files/inboxWatcher.js';
import { startOtlpServer, type OtlpServer } from './otlp/otlpServer.js';
import { startSpanPipeline } from './otlp/spanPipeline.js';
import type { EventIngestor } from './pipeline/eventIngestor.js';
import { startIngestPipeline, type IngestPipeline } from './pipeline/ingestPipeline.js';

export type Collectors = {
  ingestor: EventIngestor;
  /** Business events acknowledged by any receiver reach the store: subscribe to refresh live views. */
  onEventsLoaded: IngestPipeline['onLoaded'];
  /** Resolves once everything acknowledged so far is loaded into the store (or the store is found unavailable). */
  flush(): Promise<void>;
  metrics: Metrics;
  /** Options of the HTTP receivers to mount on the main port (collectorRoutes). */
  routes: CollectorOptions;
  otlp: OtlpServer;
  close(): Promise<void>;
};

const SHUTDOWN_FLUSH_MS = 10_000;

/**
 * Everything that takes data in, for the server (embedded mode) and for stand-alone collector processes:
 * migrations, the event and span pipelines (spools loaded first), the OTLP/HTTP receiver on its port and the
 * file inbox. The HTTP receivers of the main port are returned as options for `collectorRoutes`.
 */
export async function startCollectors(config: Config, store: StoreClients, schema: Schema, logger: Logger): Promise<Collectors> {
  const report = await migrate(store.query, schema, logger, MIGRATIONS, { cluster: config.clickhouseCluster });
  logger.info({ mode: store.mode, applied: report.applied.length, alreadyApplied: report.alreadyApplied }, 'store ready');
  const metrics = createMetrics();
  const events = await startIngestPipeline(config, store, schema, metrics, logger);
  const spans = await startSpanPipeline(config, store, schema, metrics, logger);
  const { ingestor } = events;
  const otlp = await startOtlpServer({ ingestor, spans: spans.committer, maxBodyBytes: config.otlpMaxBodyBytes, ...(config.otlpRequireIngestKey ? { ingestKeys: config.ingestTokens } : {}), host: config.host, port: config.otlpPort, logger, httpRequests: metrics.httpRequests });
  const inbox = config.inboxDir ? watchInbox(config.inboxDir, ingestor, { pollMs: config.inboxPollMs, logger }) : undefined;
  const routes = collectorOptionsFrom(config, (delivery) => {
    metrics.webhooksIgnored.inc({ source: delivery.source, type: delivery.type });
    logger.info(delivery, 'webhook delivery acknowledged but not stored');
  });
  return {
    ingestor,
    onEventsLoaded: events.onLoaded,
    flush: async () => {
      await events.events.flush();
      await spans.flush();
    },
    metrics,
    routes,
    otlp,
    close: async () => {
      await inbox?.stop();
      await otlp.close();
      // Load what was acknowledged while the store answers, for a while; the rest loads at the next start.
      const flushed = Promise.all([events.events.flush(), spans.flush()]);
      await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]);
      await spans.close();
      await events.close();
    },
  };
}
