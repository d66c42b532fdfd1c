import { randomBytes } from 'node:crypto';
import { exitOnSignals, loadConfigOrExit, runMain } from './boot.js';
import { startDemoFeeder } from './demo/demoFeeder.js';
import { startFlowlens } from './flowlens.js';
import { createLogger } from './logger.js';

/** Boot: `tsx server/index.ts [--demo]`. Configuration errors stop the boot with each bad setting named. */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  let config = loadConfigOrExit();
  const demoToken = demo ? `demo-${randomBytes(16).toString('hex')}` : undefined;
  if (demoToken) config = { ...config, ingestTokens: [...config.ingestTokens, { name: 'demo', token: demoToken }] };
  const logger = createLogger(config);

  const flowlens = await startFlowlens(config, logger);
  const feeder = demoToken ? startDemoFeeder({ baseUrl: flowlens.url, token: demoToken, transactionsPerSecond: 8, logger }) : undefined;

  const lines = [
    '',
    `  Flowlens is running: ${flowlens.url}`,
    `  OTLP/HTTP receiver: ${flowlens.otlpUrl}/v1/traces and /v1/logs`,
    `  Store: ${config.clickhouseUrl ? config.clickhouseUrl : `embedded ClickHouse in ${config.dataDir}`}`,
    demoToken ? `  Demo traffic is on. Ingest token for this run: ${demoToken}` : '  No demo traffic (npm start adds it).',
    config.ingestTokens.length === 0 ? '  Ingest is closed: set FLOWLENS_INGEST_TOKENS to accept events.' : '',
    '',
  ];
  process.stdout.write(`${lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n')}\n`);

  exitOnSignals(async () => {
    feeder?.stop();
    await flowlens.close();
  }, logger);
}

runMain('Flowlens', main);
