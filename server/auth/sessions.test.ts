import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  clientAddress,
  readCookie,
  requestIsHttps,
  resolveSessionSecret,
  sessionCookie,
  signSession,
  verifySession,
  type SessionClaims,
} from './sessions.js';

const SECRET = Buffer.from('a-secret-of-at-least-thirty-two-characters');
const T0 = Date.parse('2026-11-27T10:00:00Z');
const HOUR = 3_600_000;
const claims: SessionClaims = { name: 'ana', role: 'operator', issuedAt: T0, expiresAt: T0 + 12 * HOUR };
const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session tokens', () => {
  it('round-trips the claims while valid', () => {
    const token = signSession(claims, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).toBe(`ana|operator|${T0}|${T0 + 12 * HOUR}`);
    expect(verifySession(token, SECRET, T0 + HOUR, 12 * HOUR)).toEqual({ ok: true, claims });
  });

  it('refuses a token whose claims were altered, or signed with another key', () => {
    const [, signature] = signSession(claims, SECRET).split('.');
    const promoted = Buffer.from(`ana|admin|${T0}|${T0 + 12 * HOUR}`).toString('base64url');
    expect(verifySession(`${promoted}.${signature}`, SECRET, T0, 12 * HOUR)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySession(signSession(claims, Buffer.from('another-secret-another-secret-another')), SECRET, T0, 12 * HOUR)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySession(`${signSession(claims, SECRET)}x`, SECRET, T0, 12 * HOUR)).toMatchObject({ ok: false });
  });

  it('refuses malformed tokens', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'a b.c', '.x', `${Buffer.from('ana|operator|1').toString('base64url')}.x`]) {
      expect(verifySession(bad, SECRET, T0, HOUR).ok, bad).toBe(false);
    }
    const forged = (payload: string) => signSession({ ...claims, name: 'x' }, SECRET).replace(/^[^.]+/, Buffer.from(payload).toString('base64url'));
    expect(verifySession(forged('ana|root|1|2'), SECRET, T0, HOUR).ok).toBe(false);
  });

  it('refuses an expired token, and one older than a lowered TTL', () => {
    const token = signSession(claims, SECRET);
    expect(verifySession(token, SECRET, T0 + 12 * HOUR, 12 * HOUR)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySession(token, SECRET, T0 + 2 * HOUR, HOUR)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySession(token, SECRET, T0 - 5 * 60_000, 12 * HOUR)).toEqual({ ok: false, reason: 'not_yet_valid' });
  });

  it('will not sign a name that would break the claims apart', () => {
    expect(() => signSession({ ...claims, name: 'a|admin' }, SECRET)).toThrow(/cannot contain/);
  });
});

describe('cookies', () => {
  it('sets HttpOnly, SameSite=Strict, Path=/ and Max-Age, and Secure over HTTPS', () => {
    expect(sessionCookie('tok', 12 * HOUR, false)).toBe('flowlens_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200');
    expect(sessionCookie('tok', 60_000, true)).toBe('flowlens_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure');
    expect(clearedSessionCookie(false)).toBe('flowlens_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
  });

  it('reads one cookie from a Cookie header', () => {
    expect(readCookie('a=1; flowlens_session=abc.def; b=2', 'flowlens_session')).toBe('abc.def');
    expect(readCookie('flowlens_session="q"', 'flowlens_session')).toBe('q');
    expect(readCookie('xflowlens_session=1', 'flowlens_session')).toBeUndefined();
    expect(readCookie(undefined, 'flowlens_session')).toBeUndefined();
  });
});

describe('where a request came from', () => {
  const req = (headers: Record<string, string>, encrypted = false) => ({ socket: { remoteAddress: '10.0.0.9', encrypted }, headers });

  it('believes X-Forwarded-Proto only behind a trusted proxy', () => {
    expect(requestIsHttps(req({ 'x-forwarded-proto': 'https' }), false)).toBe(false);
    expect(requestIsHttps(req({ 'x-forwarded-proto': 'https' }), true)).toBe(true);
    expect(requestIsHttps(req({ 'x-forwarded-proto': 'http' }), true)).toBe(false);
    expect(requestIsHttps(req({}, true), false)).toBe(true);
  });

  it('takes the address the trusted proxy appended, never what the client wrote before it', () => {
    expect(clientAddress(req({ 'x-forwarded-for': '1.2.3.4' }), false)).toBe('10.0.0.9');
    expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6, 1.2.3.4' }), true)).toBe('1.2.3.4');
    expect(clientAddress(req({}), true)).toBe('10.0.0.9');
  });
});

describe('resolveSessionSecret', () => {
  it('uses FLOWLENS_SESSION_SECRET when set', async () => {
    expect((await resolveSessionSecret({ sessionSecret: 'x'.repeat(40), dataDir: dir })).toString()).toBe('x'.repeat(40));
  });

  it('makes one secret, mode 0600, and keeps it across restarts', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await resolveSessionSecret({ dataDir });
    const file = path.join(dataDir, 'session-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(64);
    expect((await resolveSessionSecret({ dataDir })).equals(first)).toBe(true);
  });

  it('refuses a secret file that is too short', async () => {
    const dataDir = path.join(dir, 'short');
    await resolveSessionSecret({ dataDir });
    writeFileSync(path.join(dataDir, 'session-secret'), 'tiny\n');
    await expect(resolveSessionSecret({ dataDir })).rejects.toThrow(/shorter than 32 characters: delete it/);
  });
});
