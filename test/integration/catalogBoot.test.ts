import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const folder = mkdtempSync(path.join(tmpdir(), 'flowlens-catalog-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the flow catalog at start', () => {
  it('stops the start naming every broken policy file and field, before opening anything', () => {
    const dashboards = path.join(folder, 'dashboards');
    cpSync(path.join(repoRoot, 'dashboards'), dashboards, { recursive: true });
    const policy = path.join(dashboards, 'slas', 'refund-ledger.yaml');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('step: erp.journal.posted', 'step: erp.journal.postd'));
    const shipped = readFileSync(path.join(dashboards, 'slas', 'order-shipped.yaml'), 'utf8');
    writeFileSync(path.join(dashboards, 'slas', 'typo.yaml'), shipped.replace('id: order-shipped', 'id: typo').replace('flow: order_to_cash', 'flow: order_to_kash'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: repoRoot,
      env: { ...process.env, FLOWLENS_DASHBOARDS_DIR: dashboards, FLOWLENS_DATA_DIR: path.join(folder, 'data'), FLOWLENS_PORT: '0', FLOWLENS_OTLP_PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Flowlens could not start: the flow catalog has \d+ problems:/);
    expect(run.stderr).toContain('dashboards/slas/refund-ledger.yaml: end.step: "erp.journal.postd" is not a step of flow return_to_refund');
    expect(run.stderr).toMatch(/dashboards\/slas\/typo\.yaml: .*order_to_kash/);
  });
});
