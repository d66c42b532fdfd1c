import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Throughput } from '../../server/contracts/api.js';
import type { LineageResponse } from '../../server/contracts/lineageApi.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';

/** What `npm start` runs after building the dashboard: the server with the simulated estate. */
describe('npm start (server/index.ts --demo)', () => {
  let server: ChildServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-demo-'));
    server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir }, ['--demo']);
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

  it('shows every flow moving within 30 seconds, with minutes of history, through every receiver', async () => {
    const flows = ['inventory_sync', 'order_to_cash', 'return_to_refund', 'settlement_to_ledger', 'transfer'];
    const deadline = Date.now() + 30_000;
    let seen: Record<string, number> = {};
    // Files come through the inbox: POS batches, the settlement report and the ERP's journal export.
    const processed = () => readdirSync(path.join(dataDir, 'inbox', 'processed'), { withFileTypes: true }).map((d) => d.name).sort();
    while (Date.now() < deadline) {
      const throughput = (await (await fetch(`${server.baseUrl}/api/v1/throughput?window=600`)).json()) as Throughput;
      seen = Object.fromEntries(throughput.series.map((s) => [s.flow, s.points.reduce((sum, p) => sum + p.count, 0)]));
      if (flows.every((f) => (seen[f] ?? 0) > 0) && processed().length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(Object.keys(seen).sort()).toEqual(flows);
    expect(Object.values(seen).reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000);
    expect(processed()).toEqual(['journal', 'pos', 'settlement']);
  }, 40_000);

  it('links a refund to its order in lineage, as finance would search it', async () => {
    const throughput = (await (await fetch(`${server.baseUrl}/api/v1/throughput?window=600`)).json()) as Throughput;
    expect(throughput.series.length).toBeGreaterThan(0);
    const refund = await (await fetch(`${server.baseUrl}/api/v1/lineage?key=RMA-000001&depth=1`)).json() as LineageResponse;
    const steps = refund.events.map((e) => e.step);
    expect(steps).toContain('oms.return.received');
    expect(steps).toContain('shop.order.created');
  });

  it('stops cleanly on SIGTERM', async () => {
    await server.kill('SIGTERM');
    expect(server.process.exitCode).toBe(0);
  });
});
