import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEstateSimulation } from '../../server/simulator/estateSimulation.js';
import type { RunResult } from '../../server/simulator/runner.js';
import { scenarioIncidents, type ScenarioName } from '../../server/simulator/scenarios.js';
import { startTestServer, type TestServer } from './testServer.js';

const SHOPIFY_SECRET = 'shpss_simulated-estate-secret-0123456789';
const STRIPE_SECRET = 'whsec_simulated-estate-secret-0123456789';

/** A Flowlens that takes the simulated estate's signed webhooks and, with `inbox`, its settlement/POS/journal files. */
export type EstateServer = TestServer & { inbox: string | undefined };

export async function startEstateServer(options: { inbox?: boolean; env?: Record<string, string> } = {}): Promise<EstateServer> {
  const inboxRoot = options.inbox ? mkdtempSync(path.join(tmpdir(), 'flowlens-estate-inbox-')) : undefined;
  const inbox = inboxRoot === undefined ? undefined : path.join(inboxRoot, 'inbox');
  const server = await startTestServer({
    env: {
      FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET,
      FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET,
      ...(inbox === undefined ? {} : { FLOWLENS_INBOX_DIR: inbox, FLOWLENS_INBOX_POLL_MS: '200' }),
      ...options.env,
    },
  });
  return {
    ...server,
    inbox,
    close: async () => {
      await server.close();
      if (inboxRoot !== undefined) rmSync(inboxRoot, { recursive: true, force: true });
    },
  };
}

/**
 * The last `durationMs` before now replayed through every receiver as fast as Flowlens takes it, with the
 * incidents of the named scenarios (their usual windows), then flushed: what a browser test opens the dashboard on.
 * The simulated ERP listens on `erpPort` when given (a replay target configured before the run) and closes with
 * the run.
 */
export async function replayRecentEstate(
  server: EstateServer,
  options: { scenarios: readonly ScenarioName[]; seed: string; rate: number; durationMs: number; keepSteps?: boolean; erpPort?: number },
): Promise<RunResult> {
  const start = Math.floor((Date.now() - options.durationMs - 5_000) / 1000) * 1000;
  const incidents = options.scenarios.flatMap((s) => scenarioIncidents(s, start, options.durationMs));
  const run = await startEstateSimulation({
    scenario: options.scenarios[0] ?? 'normal',
    seed: options.seed,
    rate: options.rate,
    start,
    durationMs: options.durationMs,
    pace: 'fast',
    daily: false,
    incidentsAt: () => incidents,
    keepSteps: options.keepSteps ?? false,
    erpPort: options.erpPort,
    target: server.baseUrl,
    otlp: server.otlpUrl,
    token: server.ingestToken,
    inbox: server.inbox,
    shopifySecret: SHOPIFY_SECRET,
    stripeSecret: STRIPE_SECRET,
  });
  const result = await run.done.finally(() => run.close());
  await server.flush();
  return result;
}
