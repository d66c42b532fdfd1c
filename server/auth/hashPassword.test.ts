import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from './passwords.js';

const cli = fileURLToPath(new URL('./hashPassword.ts', import.meta.url));
const run = (input: string) => spawnSync(process.execPath, ['--import', 'tsx', cli], { input, encoding: 'utf8', timeout: 30_000 });

describe('npm run hash-password', () => {
  it('reads a piped password and prints only its hash', async () => {
    const out = run('a long enough password\n');
    expect(out.status).toBe(0);
    expect(out.stdout).not.toContain('a long enough password');
    const hash = out.stdout.trim();
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('a long enough password', hash)).toBe(true);
  }, 30_000);

  it('refuses a short password and more than one line', () => {
    const short = run('short\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 8 characters');
    const two = run('first password\nsecond password\n');
    expect(two.status).toBe(1);
    expect(two.stderr).toContain('one password, on one line');
    expect(two.stdout).toBe('');
  }, 30_000);
});
