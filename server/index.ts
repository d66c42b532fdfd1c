import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { startDemoFeeder } from './demo/demoFeeder.js';
import { startFlowlens } from './flowlens.js';
import { createLogger } from './logger.js';

/** Boot: `tsx server/index.ts [--demo]`. Configuration errors stop the boot with each bad setting named. */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee docs/configuration.md for every setting.\n`);
      process.exit(78);
    }
    throw err;
  }
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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight inserts');
    feeder?.stop();
    flowlens
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Flowlens could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
