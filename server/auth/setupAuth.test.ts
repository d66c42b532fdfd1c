import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { hashPassword } from './passwords.js';
import { setupAuth } from './setupAuth.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-setup-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function logger() {
  const lines: string[] = [];
  const log = (level: string) => (_obj: object, msg: string) => lines.push(`${level}: ${msg}`);
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

describe('setupAuth', () => {
  it('builds access control from the configuration and keeps a session key in the data folder', async () => {
    const hash = await hashPassword('pw-for-setup', { N: 1024, r: 8, p: 1 });
    const token = 'setup-token-0123456789abcdefgh';
    const config = loadConfig({ env: { FLOWLENS_DATA_DIR: dir, FLOWLENS_USERS: JSON.stringify([{ name: 'ana', role: 'admin', password_hash: hash }]), FLOWLENS_API_TOKENS: `${token}:viewer` } });
    const log = logger();
    const auth = await setupAuth(config, log);
    expect(existsSync(path.join(dir, 'session-secret'))).toBe(true);
    expect(log.lines).toEqual(['info: access control ready']);
    expect((await auth.identify({ socket: {}, headers: { authorization: `Bearer ${token}` } })).identity.kind).toBe('viewer');
    expect((await auth.login({ socket: { remoteAddress: '127.0.0.1' }, headers: {} }, 'ana', 'pw-for-setup')).ok).toBe(true);
  });

  it('warns when nobody can sign in, and stops the start on a bad user naming it', async () => {
    const log = logger();
    await setupAuth(loadConfig({ env: { FLOWLENS_DATA_DIR: dir } }), log);
    expect(log.lines).toEqual(['warn: access control: no users and no API tokens, so nobody can sign in; set FLOWLENS_USERS_FILE (see docs/configuration.md)']);
    await expect(setupAuth(loadConfig({ env: { FLOWLENS_DATA_DIR: dir, FLOWLENS_USERS: '[{"name":"ana","role":"admin","password_hash":"hunter2"}]' } }), log)).rejects.toThrow(
      /FLOWLENS_USERS \(auth\.users\): users\[0\]\.password_hash: looks like a plain password/,
    );
  });
});
