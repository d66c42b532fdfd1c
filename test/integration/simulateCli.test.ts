import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throughputSchema } from '../../server/contracts/api.js';
import type { Truth } from '../../server/simulator/truth.js';
import { freePort } from '../support/childServer.js';
import { SHOPIFY_SECRET, STRIPE_SECRET } from '../support/groundTruth.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function simulate(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/simulator/cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run simulate', () => {
  let server: TestServer;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'flowlens-simulate-'));
    server = await startTestServer({ env: { FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET, FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs a scenario against a running Flowlens, shows progress, and writes the ground truth Flowlens then agrees with', async () => {
    const truthFile = path.join(folder, 'truth.json');
    const run = await simulate(
      ['--scenario', 'refund-lost', '--rate', '25', '--seed', '11', '--duration', '40', '--pace', 'fast', '--flat', '--truth', truthFile],
      {
        FLOWLENS_PORT: new URL(server.baseUrl).port,
        FLOWLENS_OTLP_PORT: new URL(server.otlpUrl).port,
        FLOWLENS_INGEST_TOKENS: server.ingestToken,
        FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET,
        FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Simulating "refund-lost": half the refunds never reach the ledger/);
    expect(run.stdout).toMatch(/files uploaded to \/v1\/files/);
    expect(run.stdout).toMatch(/Done: [\d,]+ events in [\d,]+ messages/);
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
    expect(truth.run).toMatchObject({ scenario: 'refund-lost', seed: '11', rate: 25 });
    expect(truth.events.stored).toBeGreaterThan(500);
    await server.flush();
    const throughput = throughputSchema.parse(await (await server.api('/api/v1/throughput?window=600', {}, 'viewer')).json());
    const stored = throughput.series.reduce((sum, s) => sum + s.points.reduce((a, p) => a + p.count, 0), 0);
    expect(stored).toBe(truth.events.stored);
  }, 120_000);

  it('says which option is wrong, with the usage, and exits 64', async () => {
    const run = await simulate(['--scenario', 'meltdown', '--token', 'x']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^--scenario: unknown scenario "meltdown"/);
    expect(run.stderr).toMatch(/Usage: npm run simulate/);
  });

  it('says when nothing answers at the target, within seconds, and exits 69', async () => {
    const port = await freePort(); // taken from the OS and released: nothing listens on it
    const run = await simulate(['--target', `http://127.0.0.1:${port}`, '--token', 'x', '--shopify-secret', 's', '--stripe-secret', 's', '--duration', '5']);
    expect(run.code).toBe(69);
    expect(run.stderr).toBe(`Flowlens is not answering at http://127.0.0.1:${port} (ECONNREFUSED): start it with npm start, or pass --target.\n`);
  });

  it('prints its usage on --help', async () => {
    const run = await simulate(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--scenario <name> {5}normal \| peak \| erp-outage/);
  });
});
