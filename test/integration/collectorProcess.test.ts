import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/childServer.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'collectors/index.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('npm run collector (stand-alone collectors)', () => {
  it('explains that it needs a ClickHouse server when CLICKHOUSE_URL is not set', () => {
    const result = run({ CLICKHOUSE_URL: '' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('set CLICKHOUSE_URL');
  });

  it('says which store it could not reach, and exits', async () => {
    const closed = await freePort();
    const result = run({ CLICKHOUSE_URL: `http://127.0.0.1:${closed}`, FLOWLENS_PORT: '0', FLOWLENS_OTLP_PORT: '0', FLOWLENS_LOG_LEVEL: 'silent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/could not start: .*ECONNREFUSED/);
  });
});
