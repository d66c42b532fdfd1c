import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { ROLES, type Role } from './policy.js';

/**
 * Stateless sessions: a cookie holding `name|role|issuedAt|expiresAt` and its HMAC-SHA256, both base64url. Nothing
 * is stored server-side; the user is looked up again on every request (authenticator.ts), so a removed user or a
 * changed role ends the session at once. Cookies are `HttpOnly; SameSite=Strict; Path=/` with `Max-Age`, and
 * `Secure` when the request came over HTTPS (`X-Forwarded-Proto` believed only with FLOWLENS_TRUST_PROXY).
 */

export const SESSION_COOKIE = 'flowlens_session';

export type SessionClaims = { name: string; role: Role; issuedAt: number; expiresAt: number };

export type SessionCheck =
  | { ok: true; claims: SessionClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'not_yet_valid' };

/** Clocks of servers sharing a secret may differ a little. */
const CLOCK_SKEW_MS = 60_000;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The session token for these claims. */
export function signSession(claims: SessionClaims, secret: Buffer): string {
  if (claims.name.includes('|')) throw new RangeError('a session name cannot contain "|"');
  const payload = Buffer.from(`${claims.name}|${claims.role}|${claims.issuedAt}|${claims.expiresAt}`, 'utf8');
  return `${payload.toString('base64url')}.${mac(payload, secret).toString('base64url')}`;
}

/**
 * Check a token: signed with `secret` (compared in constant time), not expired, and no longer-lived than the
 * current TTL allows (lowering FLOWLENS_SESSION_TTL_MS shortens sessions already given out).
 */
export function verifySession(token: string, secret: Buffer, now: number, maxTtlMs: number): SessionCheck {
  const [encoded, signature, extra] = token.split('.');
  if (extra !== undefined || !encoded || !signature || !B64URL.test(encoded) || !B64URL.test(signature)) return { ok: false, reason: 'malformed' };
  const payload = Buffer.from(encoded, 'base64url');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const [name = '', role = '', issued = '', expires = '', ...rest] = payload.toString('utf8').split('|');
  const issuedAt = Number(issued);
  const expiresAt = Number(expires);
  if (rest.length > 0 || name === '' || !(ROLES as readonly string[]).includes(role) || !Number.isSafeInteger(issuedAt) || !Number.isSafeInteger(expiresAt)) {
    return { ok: false, reason: 'malformed' };
  }
  if (issuedAt > now + CLOCK_SKEW_MS) return { ok: false, reason: 'not_yet_valid' };
  if (now >= expiresAt || now >= issuedAt + maxTtlMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { name, role: role as Role, issuedAt, expiresAt } };
}

/** `Set-Cookie` for a new session lasting `ttlMs`. */
export function sessionCookie(token: string, ttlMs: number, secure: boolean): string {
  return cookie(token, Math.floor(ttlMs / 1000), secure);
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return cookie('', 0, secure);
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** One cookie's value from a `Cookie` header (the first of that name), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

/** What a request says about where it came from: its socket, and the proxy headers. */
export type RequestOrigin = { socket: { remoteAddress?: string | undefined; encrypted?: boolean }; headers: IncomingHttpHeaders };

/** Whether the client reached Flowlens over HTTPS. */
export function requestIsHttps(req: RequestOrigin, trustProxy: boolean): boolean {
  if (req.socket.encrypted === true) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/**
 * The client's address. Behind a trusted proxy, the last `X-Forwarded-For` entry (the one the proxy appended;
 * earlier entries are whatever the client sent); otherwise the socket's. Matches express's `req.ip` with
 * `trust proxy` 1 or off.
 */
export function clientAddress(req: RequestOrigin, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? '';
  if (!trustProxy) return socket;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((e) => e.trim()).filter((e) => e !== '');
  return entries.at(-1) ?? socket;
}

/**
 * The key that signs sessions: FLOWLENS_SESSION_SECRET, or one made once and kept in `<dataDir>/session-secret`
 * (mode 0600, created exclusively so two starts cannot write different keys), so sessions survive a restart.
 */
export async function resolveSessionSecret(options: { sessionSecret?: string | undefined; dataDir: string }): Promise<Buffer> {
  if (options.sessionSecret !== undefined) return Buffer.from(options.sessionSecret, 'utf8');
  const file = path.join(options.dataDir, 'session-secret');
  await mkdir(options.dataDir, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) !== 0) await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${file} holds a session secret shorter than 32 characters: delete it to have a new one made (everyone signs in again)`);
  return Buffer.from(secret, 'utf8');
}

function mac(payload: Buffer, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}
