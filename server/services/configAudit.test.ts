import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { configChangeEntry, usersChangeEntry } from './configAudit.js';

const root = mkdtempSync(path.join(tmpdir(), 'flowlens-config-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOKEN = 'a-very-secret-api-token-0123456789';

function configWith(dataDir: string, env: Record<string, string> = {}) {
  return loadConfig({ env: { FLOWLENS_DATA_DIR: dataDir, FLOWLENS_API_TOKENS: `${TOKEN}:viewer`, ...env } });
}

describe('configuration changes in the audit trail', () => {
  it('records the first start, nothing on an unchanged restart, and names changed settings and files, never values', async () => {
    const dataDir = path.join(root, 'data');
    const dashboards = path.join(root, 'dashboards');
    cpSync(path.resolve(import.meta.dirname, '../../dashboards'), dashboards, { recursive: true });

    const first = await configChangeEntry(configWith(dataDir), dashboards, 1_000);
    expect(first).toMatchObject({ at: 1_000, actor: 'system', action: 'config.change', result: 'ok', detail: 'first start with this data folder' });
    expect(await configChangeEntry(configWith(dataDir), dashboards)).toBeUndefined();

    writeFileSync(path.join(dashboards, 'owners.yaml'), `${readFileSync(path.join(dashboards, 'owners.yaml'), 'utf8')}\n# edited\n`);
    const changed = await configChangeEntry(configWith(dataDir, { FLOWLENS_API_TOKENS: `${TOKEN}x:admin`, FLOWLENS_ALERT_EVAL_INTERVAL_MS: '7000' }), dashboards);
    expect(changed?.detail).toBe('settings FLOWLENS_ALERT_EVAL_INTERVAL_MS, FLOWLENS_API_TOKENS; files dashboards/owners.yaml');

    const saved = readFileSync(path.join(dataDir, 'config-fingerprint.json'), 'utf8');
    expect(saved).not.toContain(TOKEN);
    expect(saved).not.toContain('7000');
  });

  it('describes a users file change, and records nothing when nothing that matters changed', () => {
    expect(usersChangeEntry('/etc/flowlens/users.yaml', { added: ['cy'], removed: ['bo'], roles: [{ name: 'ana', from: 'operator', to: 'admin' }], passwords: ['ana'] }, 5)).toEqual({
      at: 5,
      actor: 'system',
      actor_kind: 'system',
      action: 'config.users',
      target: '/etc/flowlens/users.yaml',
      method: 'FILE',
      path: '/etc/flowlens/users.yaml',
      from_ip: '',
      status: 0,
      result: 'ok',
      detail: 'added cy; removed bo; role changed ana operator→admin; password changed ana',
    });
    expect(usersChangeEntry('u.yaml', { added: [], removed: ['ana'], roles: [], passwords: [], problem: 'users[0].password_hash: looks like a plain password' })).toMatchObject({
      result: 'failed',
      detail: 'removed ana; unusable, nobody can sign in: users[0].password_hash: looks like a plain password',
    });
    expect(usersChangeEntry('u.yaml', { added: [], removed: [], roles: [], passwords: [] })).toBeUndefined();
  });
});
