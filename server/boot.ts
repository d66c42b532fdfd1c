import { ConfigError, loadConfig, type Config } from './config/config.js';
import type { Logger } from './logger.js';

/** The configuration, or — when a setting is wrong — every problem on stderr and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee docs/configuration.md for every setting.\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** On SIGINT or SIGTERM, run `close` once (finishing in-flight inserts), then exit 0, or 1 if closing failed. */
export function exitOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight inserts');
    close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Run a process's main function; a failure to start is one line on stderr and exit code 1. */
export function runMain(what: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${what} could not start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
