import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, paramsOf, parsePasswordHash, verifyPassword } from './passwords.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  it('stores scrypt, its parameters, a salt and the hash, in base64url', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
  });

  it('salts every hash, so the same password never hashes alike', async () => {
    const [a, b] = await Promise.all([hashPassword('same', FAST), hashPassword('same', FAST)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('verifies with the parameters kept in the hash, so raising the defaults keeps old hashes working', async () => {
    const old = await hashPassword('pw-from-last-year', { N: 2048, r: 4, p: 2 });
    expect(old.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await verifyPassword('pw-from-last-year', old)).toBe(true);
  });

  it('matches the same characters composed or decomposed (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9-au-lait', FAST);
    expect(await verifyPassword('cafe\u0301-au-lait', hash)).toBe(true);
  });

  it('says no, rather than throwing, for a malformed or altered hash', async () => {
    const hash = await hashPassword('pw', FAST);
    expect(await verifyPassword('pw', 'pw')).toBe(false);
    expect(await verifyPassword('pw', hash.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
    expect(await verifyPassword('pw', hash.replace('scrypt$1024', 'scrypt$2048'))).toBe(false);
  });

  it('refuses parameters that are too weak or would cost minutes', async () => {
    await expect(hashPassword('pw', { N: 512, r: 8, p: 1 })).rejects.toThrow(/power of two from 2\^10/);
    await expect(hashPassword('pw', { N: 3000, r: 8, p: 1 })).rejects.toThrow(/power of two/);
    expect(parsePasswordHash('scrypt$2097152$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA')).toMatchObject({ ok: false });
  });
});

describe('parsePasswordHash', () => {
  it('takes a hash apart and says why text is not one', async () => {
    const parsed = parsePasswordHash(await hashPassword('pw', FAST));
    expect(parsed).toMatchObject({ ok: true, params: FAST });
    expect(parsePasswordHash('hunter2')).toEqual({ ok: false, reason: 'is not a password hash: expected scrypt$N$r$p$salt$hash' });
    expect(parsePasswordHash('scrypt$1024$8$x$abc$def')).toEqual({ ok: false, reason: 'N, r and p must be whole numbers' });
    expect(parsePasswordHash('scrypt$1024$8$1$a+b$def')).toEqual({ ok: false, reason: 'salt and hash must be base64url' });
    expect(parsePasswordHash('scrypt$1024$8$1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA')).toEqual({ ok: false, reason: 'the salt must be at least 8 bytes' });
  });

  it('gives the parameters of a hash for a dummy of equal cost, else the defaults', async () => {
    expect(paramsOf(await hashPassword('pw', FAST))).toEqual(FAST);
    expect(paramsOf(undefined)).toEqual(DEFAULT_SCRYPT_PARAMS);
    expect(paramsOf('nonsense')).toEqual(DEFAULT_SCRYPT_PARAMS);
  });
});
