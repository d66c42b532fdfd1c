import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { startCollectors, type Collectors } from '../collectors/startCollectors.js';
import { LIVE_EVENTS } from './contracts/api.js';
import type { Config } from './config/config.js';
import type { Authenticator } from './auth/authenticator.js';
import { setupAuth } from './auth/setupAuth.js';
import { socketAuth } from './auth/socketAuth.js';
import { createApp } from './http/app.js';
import type { Logger } from './logger.js';
import { inventoryMilestones } from './catalog/catalog.js';
import { loadCatalog } from './catalog/loadCatalog.js';
import { createAlertService } from './services/alerts/alertService.js';
import { createAnswerServices } from './services/answerServices.js';
import { storeAuditService, type AuditService } from './services/auditService.js';
import { configChangeEntry, usersChangeEntry } from './services/configAudit.js';
import { LiveThroughput } from './services/liveThroughput.js';
import { LoadSignal } from './services/loadSignal.js';
import { MovementSnapshots } from './services/movementSnapshots.js';
import { createHttpDelivery } from './services/replay/httpDelivery.js';
import { createReplayService } from './services/replay/replayService.js';
import { inBackground } from './store/backgroundWork.js';
import { dropAbandonedStaging, refreshMovementSnapshot } from './store/queries/inventoryMovements.js';
import { openStore } from './store/clickhouse.js';
import { activeRevocations, insertRevocation } from './store/queries/sessionRevocations.js';
import { eventsPerSecondByFlow } from './store/queries/throughput.js';
import { schemaFor } from './store/schema.js';

export type RunningFlowlens = {
  url: string;
  port: number;
  /** Base URL of the OTLP/HTTP receiver (`/v1/traces`, `/v1/logs`). */
  otlpUrl: string;
  /**
   * Resolves once everything acknowledged so far is loaded into the store (or the store is found unavailable),
   * and the shared answers will count it.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Compose Flowlens — store, migrations, collectors, services, HTTP + socket.io — and listen. */
export async function startFlowlens(config: Config, logger: Logger): Promise<RunningFlowlens> {
  // The catalog first: a broken policy file (or an inventory flow without its milestones) stops the start,
  // naming every problem, before anything opens.
  const catalog = loadCatalog(path.resolve(repoRoot, config.dashboardsDir), { env: config.environment });
  const milestones = inventoryMilestones(catalog);
  const store = openStore(config);
  const schema = schemaFor(config.clickhouseDatabase, { database: config.otelDatabase, tracesTable: config.otelTracesTable });
  // Access control next: a broken users file or token list stops the start too, naming the problem. The users
  // file and the signed-out sessions are read on requests, which come once the store is migrated and the audit
  // trail below exists.
  const auditLater: { trail?: AuditService } = {};
  let auth: Authenticator;
  try {
    auth = await setupAuth(config, logger, {
      onUsersChanged: (change) => {
        const entry = config.usersFile === undefined ? undefined : usersChangeEntry(config.usersFile, change);
        if (entry !== undefined) auditLater.trail?.record(entry);
      },
      revocations: {
        save: (revoked, now) => insertRevocation(store.ingest, schema, revoked, now),
        load: (now) => activeRevocations(store.query, schema, now),
      },
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  // The server listens only once the store is migrated (and any crash-left spool loaded), so /readyz never
  // answers before that; afterwards it reports whether the store still answers.
  let collectors: Collectors;
  try {
    collectors = await startCollectors(config, store, schema, logger);
  } catch (err) {
    await store.close();
    throw new Error(`could not start the collectors on the ClickHouse store (${store.mode}): ${(err as Error).message}`, { cause: err });
  }
  const { ingestor, metrics } = collectors;
  const audit = storeAuditService(store, schema, logger);
  auditLater.trail = audit;
  const configChange = await configChangeEntry(config, path.resolve(repoRoot, config.dashboardsDir));
  if (configChange !== undefined) audit.record(configChange);

  const answers = createAnswerServices(store.query, schema, catalog, config, (windowSeconds) => live.snapshot(windowSeconds));
  // This server among those sharing the store: who claimed a notification, who runs a replay job.
  const instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Alerts are decided on the shared SLA evaluation, behind the screens (nobody waits for a tick).
  const alerts = createAlertService({
    client: store.query,
    schema,
    instance,
    alerts: catalog.alerts,
    slaStatus: () => inBackground(() => answers.slas.status()),
    publicUrl: config.publicUrl,
    intervalMs: config.alertEvalIntervalMs,
    logger,
    onChange: (change) => io.emit(LIVE_EVENTS.alerts, change),
  });
  const replay = createReplayService({
    client: store.query,
    schema,
    instance,
    worker: { leaseMs: config.replayLeaseMs },
    delivery: createHttpDelivery(),
    targets: config.replayTargets,
    fourEyesFlows: config.replayFourEyesFlows,
    // A replay's result is written back through the API's ingest path, as a step of the transaction it replays.
    ingest: (events) => ingestor.ingest('replay', events.map((value, index) => ({ index, value })), 'flowlens'),
    logger,
    onProgress: (progress) => io.emit(LIVE_EVENTS.replayProgress, progress),
  });
  const app = createApp({
    logger,
    registry: metrics.registry,
    httpRequests: metrics.httpRequests,
    readiness: async () => {
      const ping = await store.query.ping();
      return ping.success ? { ready: true } : { ready: false, reason: `store unreachable: ${ping.error.message}` };
    },
    ingestor,
    collectors: collectors.routes,
    api: {
      ...answers,
      alerts,
      replay,
      dashboards: { views: [...catalog.views], links: { trace: config.traceUrl === '' ? null : config.traceUrl } },
      throughput: (windowSeconds) => live.snapshot(windowSeconds),
      audit,
    },
    auth,
    audit,
    webDir: config.webDir,
    openApiFile: path.join(repoRoot, 'docs', 'openapi.yaml'),
  });

  // The request handler exists before socket.io attaches: socket.io wraps the listeners present at that
  // moment, so /socket.io/ requests reach engine.io and never express.
  const httpServer: Server = createServer(app);
  const io = new SocketServer(httpServer, { serveClient: false });
  // socket.io answers before express: its handshake checks the session or API token itself.
  io.use(socketAuth(auth));
  const live = new LiveThroughput({
    windowSeconds: 300,
    tickMs: 500,
    idlePushMs: 2_000,
    tailSeconds: 10,
    fullRefreshMs: 60_000,
    query: (from, to) => eventsPerSecondByFlow(store.query, schema, from, to),
    publish: (payload) => io.emit(LIVE_EVENTS.throughput, payload),
    watching: () => io.engine.clientsCount > 0,
    onError: (err) => logger.warn({ err }, 'live throughput query failed'),
  });
  collectors.onEventsLoaded((earliest) => live.markDirty(earliest ?? Number.NEGATIVE_INFINITY));
  io.on('connection', (socket) => {
    const latest = live.latest;
    if (latest) {
      socket.emit(LIVE_EVENTS.throughput, latest);
      return;
    }
    live
      .snapshot()
      .then((payload) => socket.emit(LIVE_EVENTS.throughput, payload))
      .catch((err: unknown) => logger.warn({ err }, 'live throughput snapshot failed'));
  });
  live.start();

  const snapshots = new MovementSnapshots({
    intervalMs: config.lagSnapshotIntervalMs,
    refresh: async (window, now) => {
      // A refresh whose process died mid-build left its staging tables: gone once surely not another server's.
      const dropped = await dropAbandonedStaging(store.query, schema, 3_600_000, now);
      if (dropped.length > 0) logger.warn({ tables: dropped }, 'dropped staging tables an interrupted snapshot rebuild left behind');
      return refreshMovementSnapshot(store.query, schema, milestones, window, now);
    },
    onRefreshed: ({ movements, seconds, window }) =>
      logger.info({ movements, seconds: Number(seconds.toFixed(2)), from: new Date(window.coveredFrom).toISOString(), to: new Date(window.coveredTo).toISOString() }, 'inventory movement snapshot rebuilt'),
    onError: (err) => logger.warn({ err }, 'inventory movement snapshot rebuild failed; lag keeps the previous one'),
  });
  const loadSignal = new LoadSignal(250, (at) => {
    if (io.engine.clientsCount > 0) io.emit(LIVE_EVENTS.loaded, { at });
  });
  collectors.onEventsLoaded((earliest) => {
    snapshots.noteLoaded(earliest ?? Number.NEGATIVE_INFINITY);
    answers.dataLoaded();
    loadSignal.loaded();
  });
  snapshots.start();
  alerts.start();
  for (const line of catalog.alerts.unconfigured) logger.info(line);
  // Recovery settles what a crash left (asking targets' lookups), so it does not hold up listening: until it is
  // done, the items it has not settled answer "in progress".
  replay.start().catch((err: unknown) => logger.error({ err }, 'replay recovery failed; replays stay paused until a restart'));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${config.port} on ${config.host} is already in use: stop the other process or set FLOWLENS_PORT`)
          : err,
      );
    });
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}/`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    otlpUrl: collectors.otlp.url,
    flush: async () => {
      await collectors.flush();
      await snapshots.refreshIfStale();
      answers.invalidate();
    },
    close: () =>
      (closing ??= (async () => {
        live.stop();
        loadSignal.stop();
        await alerts.stop();
        await replay.stop();
        await snapshots.stop();
        const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
        httpServer.closeAllConnections();
        await closed;
        await collectors.close();
        await audit.close();
        await store.close();
      })()),
  };
}
