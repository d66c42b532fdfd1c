import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes: scrypt (RFC 7914) with a random salt, its parameters kept in the hash string so they can be
 * raised later without invalidating older hashes: `scrypt$N$r$p$<salt>$<hash>`, salt and hash in base64url.
 * Passwords are NFC-normalised first, so the same characters typed on different keyboards match.
 */

export type ScryptParams = { N: number; r: number; p: number };

/** 2^15 × 8 costs 32 MiB and about 0.1 s a hash here: slow for a guesser, fine for a sign-in. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Bounds on parameters read from a hash, so a hand-edited users file cannot make a sign-in take minutes. */
const LIMITS = { minLogN: 10, maxLogN: 20, maxR: 32, maxP: 16, maxMemory: 1024 ** 3 };

export type ParsedHash = { ok: true; params: ScryptParams; salt: Buffer; hash: Buffer } | { ok: false; reason: string };

/** Hash a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const problem = paramsProblem(params);
  if (problem) throw new RangeError(problem);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`, compared in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed.ok) return false;
  const candidate = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** A hash string taken apart, or why it is not one (what a users file check reports). */
export function parsePasswordHash(text: string): ParsedHash {
  const parts = text.split('$');
  if (parts[0] !== 'scrypt' || parts.length !== 6) return { ok: false, reason: 'is not a password hash: expected scrypt$N$r$p$salt$hash' };
  const [, n, r, p, salt = '', hash = ''] = parts;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const problem = [n, r, p].every((v) => /^\d{1,10}$/.test(v ?? '')) ? paramsProblem(params) : 'N, r and p must be whole numbers';
  if (problem) return { ok: false, reason: problem };
  if (!B64URL.test(salt) || !B64URL.test(hash)) return { ok: false, reason: 'salt and hash must be base64url' };
  const saltBytes = Buffer.from(salt, 'base64url');
  const hashBytes = Buffer.from(hash, 'base64url');
  if (saltBytes.length < 8) return { ok: false, reason: 'the salt must be at least 8 bytes' };
  if (hashBytes.length < 16 || hashBytes.length > 64) return { ok: false, reason: 'the hash must be 16–64 bytes' };
  return { ok: true, params, salt: saltBytes, hash: hashBytes };
}

/** The parameters of a valid hash, or the defaults: what a dummy hash should cost to match real ones. */
export function paramsOf(stored: string | undefined): ScryptParams {
  const parsed = stored === undefined ? undefined : parsePasswordHash(stored);
  return parsed?.ok ? parsed.params : DEFAULT_SCRYPT_PARAMS;
}

function paramsProblem({ N, r, p }: ScryptParams): string | undefined {
  const logN = Math.log2(N);
  if (!Number.isInteger(logN) || logN < LIMITS.minLogN || logN > LIMITS.maxLogN) return `N must be a power of two from 2^${LIMITS.minLogN} to 2^${LIMITS.maxLogN}`;
  if (!Number.isInteger(r) || r < 1 || r > LIMITS.maxR) return `r must be 1–${LIMITS.maxR}`;
  if (!Number.isInteger(p) || p < 1 || p > LIMITS.maxP) return `p must be 1–${LIMITS.maxP}`;
  if (memoryOf({ N, r, p }) > LIMITS.maxMemory) return 'N × r needs more than 1 GiB';
  return undefined;
}

function memoryOf({ N, r, p }: ScryptParams): number {
  return 128 * N * r + 128 * r * p;
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Node's default maxmem (32 MiB) is just short of N = 2^15, r = 8: allow what the parameters need.
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem: 2 * memoryOf(params) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
