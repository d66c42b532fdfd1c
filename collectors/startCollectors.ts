import type { Config } from '../server/config/config.js';
import type { Logger } from '../server/logger.js';
import type { Metrics } from '../server/metrics.js';
import type { StoreClients } from '../server/store/clickhouse.js';
import { migrate } from '../server/store/migrate.js';
import type { Schema } from '../server/store/schema.js';
import { collectorOptionsFrom, type CollectorOptions } from './collectorRoutes.js';
import { watchInbox } from './files/inboxWatcher.js';
import { startOtlpServer, type OtlpServer } from './otlp/otlpServer.js';
import { startSpanPipeline } from './otlp/spanPipeline.js';
import type { EventIngestor } from './pipeline/eventIngestor.js';
import { startIngestPipeline } from './pipeline/ingestPipeline.js';

export type Collectors = {
  ingestor: EventIngestor;
  metrics: Metrics;
  /** Options of the HTTP receivers to mount on the main port (collectorRoutes). */
  routes: CollectorOptions;
  otlp: OtlpServer;
  close(): Promise<void>;
};

/**
 * Everything that takes data in, for the server (embedded mode) and for stand-alone collector processes:
 * migrations, the event and span pipelines (spools loaded first), the OTLP/HTTP receiver on its port and the
 * file inbox. The HTTP receivers of the main port are returned as options for `collectorRoutes`.
 */
export async function startCollectors(config: Config, store: StoreClients, schema: Schema, logger: Logger): Promise<Collectors> {
  const report = await migrate(store.query, schema, logger);
  logger.info({ mode: store.mode, applied: report.applied.length, alreadyApplied: report.alreadyApplied }, 'store ready');
  const events = await startIngestPipeline(config, store, schema, logger);
  const spans = await startSpanPipeline(config, store, schema, events.metrics, logger);
  const { ingestor, metrics } = events;
  const otlp = await startOtlpServer({ ingestor, spans: spans.spans, maxBodyBytes: config.otlpMaxBodyBytes, host: config.host, port: config.otlpPort, logger, httpRequests: metrics.httpRequests });
  const inbox = config.inboxDir ? watchInbox(config.inboxDir, ingestor, { pollMs: config.inboxPollMs, logger }) : undefined;
  const routes = collectorOptionsFrom(config, (delivery) => {
    metrics.webhooksIgnored.inc({ source: delivery.source, type: delivery.type });
    logger.info(delivery, 'webhook delivery acknowledged but not stored');
  });
  return {
    ingestor,
    metrics,
    routes,
    otlp,
    close: async () => {
      await inbox?.stop();
      await otlp.close();
      await spans.close();
      await events.close();
    },
  };
}
