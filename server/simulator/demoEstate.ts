import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { demoAccounts, type DemoAccount } from '../auth/demoUsers.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { startEstateSimulation, type EstateRun } from './estateSimulation.js';
import { demoIncidents } from './scenarios.js';

/** The demo's traffic: enough to move every chart, light enough for a laptop. */
export const DEMO_RATE = 30;
/** History the demo replays before going live, so the dashboard has a past the moment it opens. */
export const DEMO_HISTORY_MS = 5 * 60_000;

export type DemoSettings = {
  config: Config;
  token: string;
  shopifySecret: string;
  stripeSecret: string;
  inbox: string;
  erpPort: number;
  /** People who can sign in to this demo, with their passwords (none when users are configured). */
  accounts: DemoAccount[];
};

/**
 * What `npm start` adds to the configuration so the simulated estate can reach every receiver: an ingest
 * key, webhook secrets (the operator's own when configured) and a file inbox in the data folder — and, so its
 * dead-lettered ERP postings can be replayed, the simulated ERP as the `erp` replay target (on a port chosen
 * now, before either starts), unless an `erp` target is configured; and, unless users are configured, demo
 * accounts with fresh passwords (printed at start) for each role.
 */
export async function demoSettings(config: Config): Promise<DemoSettings> {
  const erpPort = await freeLoopbackPort();
  const erpUrl = `http://127.0.0.1:${erpPort}/erp/v1`;
  const erpTarget = {
    name: 'erp',
    url: `${erpUrl}/postings`,
    method: 'POST' as const,
    headers: {},
    secretHeaders: [],
    ratePerSecond: 5,
    timeoutMs: 10_000,
    lookupUrl: `${erpUrl}/postings/{idempotency_key}`,
    allowAddresses: [],
  };
  const token = `demo-${randomBytes(16).toString('hex')}`;
  const shopifySecret = config.shopifyWebhookSecrets[0] ?? `shpss_demo_${randomBytes(16).toString('hex')}`;
  const stripeSecret = config.stripeWebhookSecrets[0] ?? `whsec_demo_${randomBytes(16).toString('hex')}`;
  const inbox = config.inboxDir ?? path.join(config.dataDir, 'inbox');
  const accounts = config.users.length === 0 && config.usersFile === undefined ? await demoAccounts() : [];
  return {
    accounts,
    token,
    shopifySecret,
    stripeSecret,
    inbox,
    erpPort,
    config: {
      ...config,
      replayTargets: config.replayTargets.some((t) => t.name === 'erp') ? config.replayTargets : [...config.replayTargets, erpTarget],
      ingestTokens: [...config.ingestTokens, { name: 'demo', token }],
      shopifyWebhookSecrets: config.shopifyWebhookSecrets.length > 0 ? config.shopifyWebhookSecrets : [shopifySecret],
      stripeWebhookSecrets: config.stripeWebhookSecrets.length > 0 ? config.stripeWebhookSecrets : [stripeSecret],
      inboxDir: inbox,
      inboxPollMs: config.inboxDir ? config.inboxPollMs : 1_000,
      users: accounts.length > 0 ? accounts.map((a) => a.record) : config.users,
    },
  };
}

/**
 * The demo estate: normal trading, live, after replaying the last few minutes; an incident every four
 * minutes (the first one minute after start). Delivery problems are logged and the traffic goes on.
 */
export async function startDemoEstate(settings: DemoSettings, urls: { target: string; otlp: string }, logger: Logger): Promise<EstateRun> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  let failures = 0;
  return startEstateSimulation({
    scenario: 'demo',
    seed: `demo-${now}`,
    rate: DEMO_RATE,
    start: now - DEMO_HISTORY_MS,
    pace: 'live',
    // A newcomer at midnight should still see stores trading: the demo keeps every hour at the week's mean.
    daily: false,
    incidentsAt: demoIncidents(now),
    target: urls.target,
    otlp: urls.otlp,
    token: settings.token,
    inbox: settings.inbox,
    shopifySecret: settings.shopifySecret,
    stripeSecret: settings.stripeSecret,
    erpPort: settings.erpPort,
    onError: (err) => {
      if (failures++ % 20 === 0) logger.warn({ err: err.message }, 'demo traffic could not be delivered; it goes on');
    },
  });
}

/** A port free on 127.0.0.1 right now (the system picks it), for a server that starts a moment later. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port was given'))));
    });
  });
}
