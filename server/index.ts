import type { DemoAccount } from './auth/demoUsers.js';
import type { Role } from './auth/policy.js';
import { exitOnSignals, loadConfigOrExit, runMain } from './boot.js';
import type { Config } from './config/config.js';
import { startFlowlens } from './flowlens.js';
import { createLogger } from './logger.js';
import { demoSettings, startDemoEstate } from './simulator/demoEstate.js';

/** Boot: `tsx server/index.ts [--demo]`. Configuration errors stop the boot with each bad setting named. */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const configured = loadConfigOrExit();
  const settings = demo ? await demoSettings(configured) : undefined;
  const config = settings?.config ?? configured;
  const logger = createLogger(config);

  const flowlens = await startFlowlens(config, logger);
  const estate = settings ? await startDemoEstate(settings, { target: flowlens.url, otlp: flowlens.otlpUrl }, logger) : undefined;

  const lines = [
    '',
    `  Flowlens is running: ${flowlens.url}`,
    `  OTLP/HTTP receiver: ${flowlens.otlpUrl}/v1/traces and /v1/logs`,
    `  Store: ${config.clickhouseUrl ? config.clickhouseUrl : `embedded ClickHouse in ${config.dataDir}`}`,
    settings ? `  Demo: a simulated retail estate (300 stores, Shopify, Amazon, Zalando, Stripe, ERP) replays the last 5 minutes, then trades live; an incident every 4 minutes.` : '  No demo traffic (npm start adds a simulated estate).',
    settings ? `  Demo ingest token for this run: ${settings.token}` : '',
    estate ? `  Simulated ERP API (the "erp" replay target): ${estate.erpUrl}/erp/v1/postings` : '',
    config.ingestTokens.length === 0 ? '  Ingest is closed: set FLOWLENS_INGEST_TOKENS to accept events.' : '',
    ...signInLines(settings?.accounts ?? [], config),
    ...exposureLines(config),
    '',
  ];
  process.stdout.write(`${lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n')}\n`);

  exitOnSignals(async () => {
    await estate?.close();
    await flowlens.close();
  }, logger);
}

/** How to sign in: the demo's accounts and passwords, or where users come from. */
function signInLines(accounts: readonly DemoAccount[], config: Config): string[] {
  if (accounts.length > 0) {
    const width = Math.max(...accounts.map((a) => a.name.length));
    return [
      '  Sign in with a demo account (new passwords each start; set FLOWLENS_USERS_FILE for your own):',
      ...accounts.map((a) => `    ${a.name.padEnd(width)}  ${a.password}  ${ROLE_NOTES[a.role]}`),
    ];
  }
  if (config.usersFile === undefined && config.users.length === 0 && config.apiTokens.length === 0) {
    return ['  Nobody can sign in: set FLOWLENS_USERS_FILE (see docs/configuration.md; npm run -s hash-password makes the hashes).'];
  }
  return [`  Sign in as a user of ${config.usersFile ?? 'FLOWLENS_USERS'}${config.apiTokens.length > 0 ? `; ${config.apiTokens.length} API token(s) configured` : ''}.`];
}

/** A warning when Flowlens is reachable from other machines over plain HTTP (passwords and cookies in clear). */
function exposureLines(config: Config): string[] {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.host) || config.host.startsWith('127.');
  if (loopback || config.trustProxy) return [];
  return [
    `  Warning: listening on ${config.host} over plain HTTP. Passwords, session cookies and tokens cross the network unencrypted:`,
    '  put a TLS-terminating reverse proxy in front and set FLOWLENS_TRUST_PROXY=true, or bind FLOWLENS_HOST=127.0.0.1.',
  ];
}

const ROLE_NOTES: Record<Role, string> = {
  viewer: '(viewer: reads every screen)',
  operator: '(operator: also acknowledges, replays, approves another operator\'s replay)',
  admin: '(admin: also the audit trail)',
};

runMain('Flowlens', main);
