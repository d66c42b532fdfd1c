import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config.js';
import { hashPassword } from './passwords.js';
import { loadUsersFile, openUserDirectory, parseUsers, type UsersChange } from './users.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-users-'));
let hash: string;

beforeAll(async () => {
  hash = await hashPassword('pw-for-tests', { N: 1024, r: 8, p: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

async function problemsOfAsync(fn: () => Promise<unknown>): Promise<string[]> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseUsers', () => {
  it('takes name, role and password hash', () => {
    expect(parseUsers([{ name: 'ana', role: 'operator', password_hash: hash }], 'test')).toEqual([{ name: 'ana', role: 'operator', passwordHash: hash }]);
  });

  it('refuses a plaintext password where the hash belongs, saying how to hash it', () => {
    const problems = problemsOf(() => parseUsers([{ name: 'ana', role: 'admin', password_hash: 'hunter2' }], 'auth.users'));
    expect(problems).toEqual(['auth.users: users[0].password_hash: looks like a plain password, which is never stored: run `npm run -s hash-password`, type the password, and put what it prints in password_hash']);
  });

  it('refuses a `password` field, an unknown role and a missing name, naming each path', () => {
    const problems = problemsOf(() =>
      parseUsers(
        [
          { name: 'ok', role: 'viewer', password_hash: hash },
          { name: 'bo', role: 'admin', password: 'secret' },
          { name: 'cy', role: 'root', password_hash: hash },
          { role: 'viewer', password_hash: hash },
        ],
        'f',
      ),
    );
    expect(problems).toEqual([
      'f: users[1].password_hash: is required: the password\'s hash (run `npm run -s hash-password`, type the password, and put what it prints in password_hash)',
      'f: users[1].password: a password is never stored here; run `npm run -s hash-password`, type the password, and put what it prints in password_hash',
      'f: users[2].role: must be one of viewer, operator, admin',
      'f: users[3].name: is required: the sign-in name',
    ]);
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('refuses a damaged hash, names with odd characters and a name used twice in any case', () => {
    const problems = problemsOf(() =>
      parseUsers(
        [
          { name: 'ana', role: 'viewer', password_hash: 'scrypt$1024$8$1$short$hash' },
          { name: 'a|b', role: 'viewer', password_hash: hash },
          { name: 'Dee', role: 'viewer', password_hash: hash },
          { name: 'dee', role: 'admin', password_hash: hash },
        ],
        'f',
      ),
    );
    expect(problems[0]).toMatch(/^f: users\[0\]\.password_hash: is not a valid hash: /);
    expect(problems[1]).toMatch(/^f: users\[1\]\.name: must be 1–64 letters/);
    expect(problems[2]).toBe('f: users[3].name: "dee" is already users[2] (names are compared ignoring case)');
  });
});

describe('the users file', () => {
  it('reads YAML and JSON', async () => {
    const yamlFile = path.join(dir, 'users.yaml');
    writeFileSync(yamlFile, `users:\n  - name: ana\n    role: admin\n    password_hash: "${hash}"\n`);
    const jsonFile = path.join(dir, 'users.json');
    writeFileSync(jsonFile, JSON.stringify({ users: [{ name: 'bo', role: 'viewer', password_hash: hash }] }));
    expect((await loadUsersFile(yamlFile)).map((u) => u.name)).toEqual(['ana']);
    expect((await loadUsersFile(jsonFile)).map((u) => u.role)).toEqual(['viewer']);
  });

  it('names the file and the problem', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'user:\n  - name: ana\n');
    expect(await problemsOfAsync(() => loadUsersFile(file))).toEqual([`FLOWLENS_USERS_FILE ${file}: users: must be a list of users`, `FLOWLENS_USERS_FILE ${file}: user: unknown field; use name, role and password_hash`]);
    expect(await problemsOfAsync(() => loadUsersFile(path.join(dir, 'missing.yaml')))).toEqual([expect.stringMatching(/^FLOWLENS_USERS_FILE: cannot read .*missing\.yaml: ENOENT/)]);
  });
});

describe('openUserDirectory', () => {
  it('finds a user by name in any case', async () => {
    const users = await openUserDirectory({ users: [{ name: 'Ana', role: 'operator', password_hash: hash }] });
    expect(await users.find('ana')).toMatchObject({ name: 'Ana', role: 'operator' });
    expect(await users.find('bo')).toBeUndefined();
    expect(users.sample()?.name).toBe('Ana');
  });

  it('refuses users in both the file and the config', async () => {
    expect(await problemsOfAsync(() => openUserDirectory({ usersFile: 'x.yaml', users: [{}] }))).toEqual(['FLOWLENS_USERS_FILE and FLOWLENS_USERS (auth.users) are both set: keep the users in one place']);
  });

  it('sees a changed role or a removed user at the next lookup, and locks everyone out while the file is broken', async () => {
    const file = path.join(dir, 'live.yaml');
    const write = (users: object[]) => writeFileSync(file, JSON.stringify({ users }));
    write([{ name: 'ana', role: 'operator', password_hash: hash }, { name: 'bo', role: 'viewer', password_hash: hash }]);
    const problems: string[] = [];
    const changes: UsersChange[] = [];
    const users = await openUserDirectory({ usersFile: file, users: [], onProblem: (m) => problems.push(m), onChange: (c) => changes.push(c) });
    expect((await users.find('ana'))?.role).toBe('operator');
    expect(changes).toEqual([]);

    const other = await hashPassword('another', { N: 1024, r: 8, p: 1 });
    write([{ name: 'ana', role: 'viewer', password_hash: hash }, { name: 'cy', role: 'admin', password_hash: hash }]);
    expect((await users.find('ana'))?.role).toBe('viewer');
    expect(await users.find('bo')).toBeUndefined();
    expect(changes).toEqual([{ added: ['cy'], removed: ['bo'], roles: [{ name: 'ana', from: 'operator', to: 'viewer' }], passwords: [] }]);
    write([{ name: 'ana', role: 'viewer', password_hash: other }]);
    expect((await users.find('cy'))).toBeUndefined();
    expect(changes[1]).toEqual({ added: [], removed: ['cy'], roles: [], passwords: ['ana'] });
    write([{ name: 'ana', role: 'viewer', password_hash: hash }]);

    writeFileSync(file, 'users: [ { name: ana, role: viewer, password_hash: hunter2 } ]');
    await expect(users.find('ana')).rejects.toMatchObject({ status: 503, code: 'users_unavailable' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('looks like a plain password');
    expect(changes.at(-1)).toMatchObject({ removed: ['ana'], problem: expect.stringContaining('looks like a plain password') });
    await expect(users.find('ana')).rejects.toMatchObject({ status: 503 });
    expect(problems).toHaveLength(1);

    write([{ name: 'ana', role: 'admin', password_hash: hash }]);
    expect((await users.find('ANA'))?.role).toBe('admin');
  });
});
