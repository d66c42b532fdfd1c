import { exitOnSignals, loadConfigOrExit, runMain } from './boot.js';
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
    '',
  ];
  process.stdout.write(`${lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n')}\n`);

  exitOnSignals(async () => {
    await estate?.close();
    await flowlens.close();
  }, logger);
}

runMain('Flowlens', main);
