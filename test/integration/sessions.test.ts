import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.js';
import { TEST_PASSWORD } from '../support/access.js';
import { signIn } from '../support/accessProbe.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Sessions and configuration changes through the real app: signing out ends the session on the server (a copied
 * cookie stops working, also after a restart), and the audit trail records each start's configuration and each
 * change to the users file.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function whoAmI(server: Pick<TestServer, 'baseUrl'>, cookie: string) {
  const res = await fetch(`${server.baseUrl}/api/v1/session`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as { name?: string; error?: { message: string } } };
}

async function auditRows(server: TestServer, query: string, wanted: (rows: { action: string; detail: string; actor: string }[]) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await server.api(`/api/v1/audit?${query}`, {}, 'admin');
    const { rows } = (await res.json()) as { rows: { action: string; detail: string; actor: string }[] };
    if (wanted(rows) || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('signing out', () => {
  it('ends the session on the server: a copy of the cookie is refused, also after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-sessions-'));
    dirs.push(dataDir);
    let server = await startTestServer({ dataDir, keepData: true });
    try {
      const copied = await signIn(server.baseUrl, 'olga', TEST_PASSWORD);
      const other = await signIn(server.baseUrl, 'olga', TEST_PASSWORD);
      expect(await whoAmI(server, copied)).toMatchObject({ status: 200, body: { name: 'olga' } });

      const out = await fetch(`${server.baseUrl}/api/v1/session`, { method: 'DELETE', headers: { cookie: copied } });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^flowlens_session=; .*Max-Age=0/);
      expect(await whoAmI(server, copied)).toEqual({ status: 401, body: { error: expect.objectContaining({ message: 'this session was signed out: sign in again' }) } });
      // Signing out ends that session only: the same person signed in elsewhere stays signed in.
      expect((await whoAmI(server, other)).status).toBe(200);

      await server.close();
      server = await startTestServer({ dataDir, keepData: true });
      expect((await whoAmI(server, copied)).status).toBe(401);
      expect((await whoAmI(server, other)).status).toBe(200);
      const rows = await auditRows(server, 'action=session.logout', (r) => r.length > 0);
      expect(rows).toEqual([expect.objectContaining({ actor: 'olga', action: 'session.logout' })]);
    } finally {
      await server.close();
    }
  });
});

describe('configuration changes in the audit trail', () => {
  it('records the first start, and what each new version of the users file changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-users-file-'));
    dirs.push(dir);
    const usersFile = path.join(dir, 'users.yaml');
    const hash = await hashPassword(TEST_PASSWORD, { N: 1024, r: 8, p: 1 });
    writeFileSync(usersFile, `users:\n  - { name: ana, role: operator, password_hash: "${hash}" }\n`);
    const server = await startTestServer({ env: { FLOWLENS_USERS: '[]', FLOWLENS_USERS_FILE: usersFile } });
    try {
      const ana = await signIn(server.baseUrl, 'ana', TEST_PASSWORD);
      expect((await whoAmI(server, ana)).status).toBe(200);

      writeFileSync(usersFile, `users:\n  - { name: ana, role: viewer, password_hash: "${hash}" }\n  - { name: cy, role: admin, password_hash: "${hash}" }\n`);
      // Her role changed: her session ends at her next request.
      expect(await whoAmI(server, ana)).toMatchObject({ status: 401, body: { error: { message: expect.stringMatching(/role changed/) } } });

      const started = await auditRows(server, 'action=config.change', (r) => r.length > 0);
      expect(started).toEqual([expect.objectContaining({ actor: 'system', detail: 'first start with this data folder' })]);
      const users = await auditRows(server, 'action=config.users', (r) => r.length > 0);
      expect(users).toEqual([expect.objectContaining({ actor: 'system', detail: 'added cy; role changed ana operator→viewer' })]);
    } finally {
      await server.close();
    }
  });
});
