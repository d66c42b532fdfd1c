import { startErpServer, type ErpServer } from './erp/erpServer.js';
import { startSimTelemetry } from './otel/simTelemetry.js';
import { runSimulation, type RunOptions, type RunResult } from './runner.js';
import { incidentsBetween } from './scenarios.js';

export type EstateOptions = Omit<RunOptions, 'targets' | 'signal'> & {
  target: string;
  otlp: string;
  token: string;
  inbox?: string;
  shopifySecret: string;
  stripeSecret: string;
  erpPort?: number;
  /**
   * How the run plans and delivers (default `runSimulation`). A harsher delivery for a fault test — every message
   * three times, the run backwards — plugs in here, with the same estate (ERP, telemetry, targets) around it.
   */
  runner?: (options: RunOptions) => Promise<RunResult>;
};

export type EstateRun = {
  /** The simulated ERP's API: where replays of ERP postings are delivered. */
  erpUrl: string;
  done: Promise<RunResult>;
  /** Stop sending (the ERP API stays up until `close`). */
  stop(): void;
  close(): Promise<void>;
};

/** How far ahead an unbounded run (the demo) tells the ERP its outage windows. */
const UNBOUNDED_HORIZON_MS = 7 * 24 * 3600_000;

/**
 * The whole simulated estate: its services' OpenTelemetry, the ERP's HTTP API (which fails exactly when the
 * scenario says), and the run that plans and delivers the traffic to Flowlens.
 */
export async function startEstateSimulation(options: EstateOptions): Promise<EstateRun> {
  const telemetry = startSimTelemetry(options.otlp);
  const horizon = options.start + (options.durationMs ?? UNBOUNDED_HORIZON_MS);
  const outages = incidentsBetween(options.incidentsAt, options.start, horizon, 30_000).filter((i) => i.kind === 'erp-outage');
  let erp: ErpServer;
  try {
    erp = await startErpServer({ tracer: telemetry.tracer('erp'), port: options.erpPort ?? 0, outages: outages.map(({ from, to }) => ({ from, to })) });
  } catch (err) {
    await telemetry.shutdown();
    throw err;
  }
  const abort = new AbortController();
  const { runner = runSimulation, ...runOptions } = options;
  const done = runner({
    ...runOptions,
    signal: abort.signal,
    targets: { target: options.target, token: options.token, telemetry, erpUrl: erp.url, shopifySecret: options.shopifySecret, stripeSecret: options.stripeSecret, inbox: options.inbox },
  });
  let closed = false;
  return {
    erpUrl: erp.url,
    done,
    stop: () => abort.abort(),
    async close() {
      if (closed) return;
      closed = true;
      abort.abort();
      await done.catch(() => undefined);
      await telemetry.shutdown();
      await erp.close();
    },
  };
}
