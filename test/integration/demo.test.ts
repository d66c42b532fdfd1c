import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionSchema } from '../../server/contracts/accessApi.js';
import { throughputSchema } from '../../server/contracts/api.js';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';

type PrintedAccount = { name: string; password: string; note: string };

/** The accounts the banner prints under "Sign in with a demo account", as a user would copy them. */
function printedAccounts(banner: string): PrintedAccount[] {
  const lines = banner.split('\n');
  const heading = lines.findIndex((l) => l.startsWith('  Sign in with a demo account'));
  if (heading === -1) return [];
  const accounts: PrintedAccount[] = [];
  for (const line of lines.slice(heading + 1)) {
    const match = /^ {4}(\S+) +(\S+) {2}(\(.*\))$/.exec(line);
    if (!match) break;
    accounts.push({ name: match[1]!, password: match[2]!, note: match[3]! });
  }
  return accounts;
}

/** What `npm start` runs after building the dashboard: the server with the simulated estate. */
describe('npm start (server/index.ts --demo)', () => {
  let server: ChildServer;
  let dataDir: string;
  /** The signed-in operator's session cookie: how the reads below reach the API, as the dashboard does. */
  let cookie = '';
  const read = async (pathAndQuery: string) => {
    const res = await fetch(`${server.baseUrl}${pathAndQuery}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${pathAndQuery} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as unknown;
  };
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-demo-'));
    // As `npm start` runs it: no users and no API tokens configured, so the demo makes its accounts.
    server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_API_TOKENS: '' }, ['--demo']);
  }, 90_000);
  afterAll(async () => {
    await server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints where everything is, including the demo token and the simulated ERP', () => {
    expect(server.stdout()).toMatch(/Flowlens is running: http:\/\/127\.0\.0\.1:\d+\//);
    expect(server.stdout()).toMatch(/Demo: a simulated retail estate .* an incident every 4 minutes/);
    expect(server.stdout()).toMatch(/Demo ingest token for this run: demo-[0-9a-f]{32}/);
    expect(server.stdout()).toMatch(/Simulated ERP API \(the "erp" replay target\): http:\/\/127\.0\.0\.1:\d+\/erp\/v1\/postings/);
  });

  it('prints four demo accounts with their passwords and what each role may do', () => {
    const accounts = printedAccounts(server.stdout());
    expect(accounts.map((a) => a.name)).toEqual(['admin', 'operator', 'operator2', 'viewer']);
    expect(accounts.map((a) => a.note.slice(1, a.note.indexOf(':')))).toEqual(['admin', 'operator', 'operator', 'viewer']);
    for (const { password } of accounts) expect(password).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(new Set(accounts.map((a) => a.password)).size).toBe(4);
  });

  it('keeps the dashboard API closed to whoever has not signed in', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/throughput?window=600`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated', message: expect.stringContaining('sign in') } });
  });

  it('signs in a printed operator with the printed password', async () => {
    const operator = printedAccounts(server.stdout()).find((a) => a.name === 'operator');
    expect(operator).toBeDefined();
    const wrong = await fetch(`${server.baseUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'operator', password: 'not-the-password' }) });
    expect(wrong.status).toBe(401);
    const res = await fetch(`${server.baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: operator!.name, password: operator!.password }),
    });
    expect(res.status).toBe(200);
    expect(sessionSchema.parse(await res.json())).toMatchObject({ name: 'operator', role: 'operator', via: 'session' });
    cookie = /flowlens_session=[^;]+/.exec(res.headers.getSetCookie().join('; '))?.[0] ?? '';
    expect(cookie).not.toBe('');
  });

  it('shows every flow moving within 30 seconds, with minutes of history, through every receiver', async () => {
    const flows = ['inventory_sync', 'order_to_cash', 'return_to_refund', 'settlement_to_ledger', 'transfer'];
    const deadline = Date.now() + 30_000;
    let seen: Record<string, number> = {};
    // Files come through the inbox: POS batches, the settlement report and the ERP's journal export.
    const processed = () => readdirSync(path.join(dataDir, 'inbox', 'processed'), { withFileTypes: true }).map((d) => d.name).sort();
    while (Date.now() < deadline) {
      const throughput = throughputSchema.parse(await read('/api/v1/throughput?window=600'));
      seen = Object.fromEntries(throughput.series.map((s) => [s.flow, s.points.reduce((sum, p) => sum + p.count, 0)]));
      if (flows.every((f) => (seen[f] ?? 0) > 0) && processed().length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(Object.keys(seen).sort()).toEqual(flows);
    expect(Object.values(seen).reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000);
    expect(processed()).toEqual(['journal', 'pos', 'settlement']);
  }, 40_000);

  it('links a refund to its order in lineage, as finance would search it', async () => {
    const throughput = throughputSchema.parse(await read('/api/v1/throughput?window=600'));
    expect(throughput.series.length).toBeGreaterThan(0);
    const refund = lineageResponseSchema.parse(await read('/api/v1/lineage?key=RMA-000001&depth=1'));
    const steps = refund.events.map((e) => e.step);
    expect(steps).toContain('oms.return.received');
    expect(steps).toContain('shop.order.created');
  });

  it('stops cleanly on SIGTERM', async () => {
    await server.kill('SIGTERM');
    expect(server.process.exitCode).toBe(0);
  });
});
