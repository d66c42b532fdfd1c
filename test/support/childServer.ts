import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testApiTokensEnv } from './access.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type ChildServer = {
  baseUrl: string;
  /** The OTLP/HTTP receiver's own port (FLOWLENS_OTLP_PORT), e.g. `${otlpUrl}/v1/traces`. */
  otlpUrl: string;
  process: ChildProcess;
  /** What the server printed on stdout so far (its banner; logs go to stdout too at info level). */
  stdout(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
};

/**
 * Flowlens as its own process (`node --import tsx server/index.ts`), for tests that kill it or measure it; it
 * takes the test API tokens of `access.ts` unless `env` names others.
 */
export async function startChildServer(env: Record<string, string>, args: readonly string[] = []): Promise<ChildServer> {
  const port = await freePort();
  const otlpPort = await freePort();
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'server/index.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, FLOWLENS_PORT: String(port), FLOWLENS_OTLP_PORT: String(otlpPort), FLOWLENS_HOST: '127.0.0.1', FLOWLENS_LOG_LEVEL: 'warn', FLOWLENS_API_TOKENS: testApiTokensEnv(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length < 1_000_000) stdout += chunk.toString();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitReady(baseUrl, child);
  return {
    baseUrl,
    otlpUrl: `http://127.0.0.1:${otlpPort}`,
    process: child,
    stdout: () => stdout,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

async function waitReady(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become ready within 60 s');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
