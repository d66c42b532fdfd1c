import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exitOnSignals, loadConfigOrExit, runMain } from '../server/boot.js';
import { countRequests } from '../server/http/countRequests.js';
import { errorMiddleware } from '../server/http/errorMiddleware.js';
import { healthRoutes } from '../server/http/routes/healthRoutes.js';
import { createLogger } from '../server/logger.js';
import { openStore } from '../server/store/clickhouse.js';
import { schemaFor } from '../server/store/schema.js';
import { collectorRoutes } from './collectorRoutes.js';
import { startCollectors } from './startCollectors.js';

/**
 * `npm run collector`: the receivers alone (event API, files, webhooks on FLOWLENS_PORT; OTLP/HTTP on
 * FLOWLENS_OTLP_PORT; the inbox), writing to a ClickHouse server, for scale-out. No dashboard, no read API.
 * Several can run at once: each has its own data folder for its spool.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.clickhouseUrl) {
    process.stderr.write(
      'Stand-alone collectors write to a ClickHouse server: set CLICKHOUSE_URL (e.g. http://clickhouse:8123).\n' +
        'With embedded ClickHouse the collectors already run inside `npm start` / `npm run serve`.\n',
    );
    process.exit(78);
  }
  const logger = createLogger(config);
  const store = openStore(config);
  const schema = schemaFor(config.clickhouseDatabase, { database: config.otelDatabase, tracesTable: config.otelTracesTable });
  const collectors = await startCollectors(config, store, schema, logger);

  const app = express();
  app.disable('x-powered-by');
  app.use(countRequests(collectors.metrics.httpRequests));
  app.use(
    healthRoutes(async () => {
      const ping = await store.query.ping();
      return ping.success ? { ready: true } : { ready: false, reason: `store unreachable: ${ping.error.message}` };
    }, collectors.metrics.registry),
  );
  app.use(collectorRoutes(collectors.ingestor, collectors.routes));
  app.use(errorMiddleware(logger));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`\n  Flowlens collector: http://${config.host}:${port}/ (events, files, webhooks)\n  OTLP/HTTP: ${collectors.otlp.url}\n  Store: ${config.clickhouseUrl}\n\n`);

  exitOnSignals(async () => {
    server.closeAllConnections();
    server.close();
    await collectors.close();
    await store.close();
  }, logger);
}

runMain('The Flowlens collector', main);
