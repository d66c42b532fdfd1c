import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { requireBearer } from '../http/bearerAuth.js';
import { errorMiddleware } from '../http/errorMiddleware.js';
import { sessionRoutes } from '../http/routes/sessionRoutes.js';
import { storeAuditService, type AuditService } from '../services/auditService.js';
import { openStore, type StoreClients } from '../store/clickhouse.js';
import { migrate } from '../store/migrate.js';
import { auditLog, type AuditRow } from '../store/queries/audit.js';
import { schemaFor } from '../store/schema.js';
import { apiTokenRing, tokenFingerprint } from './apiTokens.js';
import { auditTrail } from './auditTrail.js';
import { actorOf, authMiddleware } from './authMiddleware.js';
import { createAuthenticator, type Authenticator } from './authenticator.js';
import { hashPassword } from './passwords.js';
import { decide, servedRoutes, type IdentityKind, type RouteRule } from './policy.js';
import { SESSION_COOKIE, signSession } from './sessions.js';
import { openUserDirectory } from './users.js';

const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-auth-'));
const usersFile = path.join(dir, 'users.yaml');
const schema = schemaFor('flowlens');
const SECRET = Buffer.from('int-test-secret-int-test-secret-int-test');
const INGEST = { name: 'pos', token: 'ingest-key-0123456789abcdef' };
const TOKENS = { viewer: 'api-viewer-0123456789abcdefghij', operator: 'api-operator-0123456789abcdefgh', admin: 'api-admin-0123456789abcdefghijk' } as const;
const PASSWORD = 'right-password';
const HOUR = 3_600_000;

let store: StoreClients;
let audit: AuditService;
let auth: Authenticator;
let base: string;
let proxiedBase: string;
const servers: Server[] = [];
const cookies: Partial<Record<IdentityKind, string>> = {};

async function writeUsers(users: { name: string; role: string }[]) {
  const hash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  writeFileSync(usersFile, `users:\n${users.map((u) => `  - { name: ${u.name}, role: ${u.role}, password_hash: "${hash}" }\n`).join('')}`);
}

/** Every route of the policy table, answered by a stub as the real route would be reached. */
function stubApp(authenticator: Authenticator): Express {
  const app = express();
  app.set('query parser', 'simple');
  app.use(auditTrail(audit, { addressOf: authenticator.addressOf }));
  app.use(authMiddleware(authenticator));
  app.use(sessionRoutes(authenticator));
  for (const rule of servedRoutes()) {
    if (rule.pattern === '/api/v1/session') continue;
    const route = rule.pattern.replace(/\/\*$/, '/{*rest}');
    const method = rule.method.toLowerCase() as 'get' | 'post' | 'delete';
    if (rule.access === 'ingest') app[method](route, requireBearer([INGEST], 'flowlens-ingest'), (_req, res) => void res.status(202).json({ ok: true }));
    else if (rule.access === 'signature') app[method](route, () => {
      throw new AppError(401, 'missing_signature', 'the request is not signed');
    });
    else app[method](route, (req, res) => {
      if (req.params.id === 'rpl-conflict') throw new AppError(409, 'job_finished', 'the job has finished');
      res.json({ ok: true, ...(rule.method === 'GET' ? {} : { actor: actorOf(req) }) });
    });
  }
  app.use(errorMiddleware({ error: () => {} }));
  return app;
}

async function listen(app: Express): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(method: string, url: string, headers: Record<string, string> = {}, body?: string) {
  const mutating = !['GET', 'HEAD'].includes(method);
  const res = await fetch(url, { method, headers: { ...(mutating ? { 'content-type': 'application/json' } : {}), ...headers }, body: mutating ? (body ?? '{}') : undefined });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown> & { error?: { code: string; message: string } }) };
}

async function login(name: string, password = PASSWORD, target = base, headers: Record<string, string> = {}) {
  return call('POST', `${target}/api/v1/session`, { 'content-type': 'application/json', ...headers }, JSON.stringify({ name, password }));
}

const cookieFrom = (setCookie: string | null) => `${SESSION_COOKIE}=${/flowlens_session=([^;]*)/.exec(setCookie ?? '')?.[1] ?? ''}`;

beforeAll(async () => {
  store = openStore({ dataDir: dir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  audit = storeAuditService(store, schema, { error: () => {}, warn: () => {} }, { flushMs: 50 });
  await writeUsers([
    { name: 'vera', role: 'viewer' },
    { name: 'otto', role: 'operator' },
    { name: 'ada', role: 'admin' },
    { name: 'rita', role: 'viewer' },
    { name: 'temp', role: 'operator' },
  ]);
  const options = {
    users: await openUserDirectory({ usersFile, users: [] }),
    apiTokens: apiTokenRing(Object.entries(TOKENS).map(([role, token]) => ({ token, role: role as keyof typeof TOKENS }))),
    ingestKeys: [INGEST],
    secret: SECRET,
    sessionTtlMs: 12 * HOUR,
  };
  auth = await createAuthenticator({ ...options, trustProxy: false });
  base = await listen(stubApp(auth));
  proxiedBase = await listen(stubApp(await createAuthenticator({ ...options, trustProxy: true })));
  for (const [kind, name] of [['viewer', 'vera'], ['operator', 'otto'], ['admin', 'ada']] as const) cookies[kind] = cookieFrom((await login(name)).headers.get('set-cookie'));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await audit.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and answers who signed in', async () => {
    const res = await login('otto');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'otto', role: 'operator', via: 'session' });
    expect(res.headers.get('set-cookie')).toMatch(/^flowlens_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const me = await call('GET', `${base}/api/v1/session`, { cookie: cookieFrom(res.headers.get('set-cookie')) });
    expect(me.body).toMatchObject({ name: 'otto', role: 'operator' });
  });

  it('marks the cookie Secure over HTTPS, trusting X-Forwarded-Proto only behind a trusted proxy', async () => {
    expect((await login('otto', PASSWORD, base, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).not.toContain('Secure');
    expect((await login('otto', PASSWORD, proxiedBase, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('answers an unknown name and a wrong password alike', async () => {
    const unknown = await login('nobody', 'whatever');
    const wrong = await login('vera', 'wrong-password');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body?.error).toMatchObject({ code: 'invalid_credentials', message: 'invalid name or password' });
  });

  it('refuses a tenth failure and more with 429 and Retry-After, even with the right password', async () => {
    for (let i = 0; i < 10; i++) expect((await login('rita', `guess-${i}`)).status).toBe(401);
    const limited = await login('rita');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(limited.body?.error?.code).toBe('too_many_attempts');
  });

  it('signs out by clearing the cookie and ending that session on the server', async () => {
    const session = cookieFrom((await login('vera')).headers.get('set-cookie'));
    const res = await call('DELETE', `${base}/api/v1/session`, { cookie: session });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBe('flowlens_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
    const again = await call('GET', `${base}/api/v1/overview`, { cookie: session });
    expect([again.status, again.body?.error?.message]).toEqual([401, 'this session was signed out: sign in again']);
    // Her other session (signed in elsewhere) goes on.
    expect((await call('GET', `${base}/api/v1/overview`, { cookie: cookies.viewer! })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('refuses a tampered cookie and clears it', async () => {
    const [payload, mac] = cookies.viewer!.slice(SESSION_COOKIE.length + 1).split('.');
    const claims = Buffer.from(payload!, 'base64url').toString().replace('|viewer|', '|admin|');
    const res = await call('GET', `${base}/api/v1/audit`, { cookie: `${SESSION_COOKIE}=${Buffer.from(claims).toString('base64url')}.${mac}` });
    expect(res.status).toBe(401);
    expect(res.body?.error?.message).toMatch(/session cookie is not valid/);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('refuses an expired session', async () => {
    const token = signSession({ name: 'otto', role: 'operator', issuedAt: Date.now() - 13 * HOUR, expiresAt: Date.now() - HOUR }, SECRET);
    const res = await call('GET', `${base}/api/v1/overview`, { cookie: `${SESSION_COOKIE}=${token}` });
    expect([res.status, res.body?.error?.message]).toEqual([401, 'your session has expired: sign in again']);
  });

  it('ends a session at the next request when the user file changes the role or removes the user', async () => {
    const cookie = cookieFrom((await login('temp')).headers.get('set-cookie'));
    expect((await call('GET', `${base}/api/v1/overview`, { cookie })).status).toBe(200);
    await writeUsers([{ name: 'vera', role: 'viewer' }, { name: 'otto', role: 'operator' }, { name: 'ada', role: 'admin' }, { name: 'rita', role: 'viewer' }, { name: 'temp', role: 'viewer' }]);
    const res = await call('GET', `${base}/api/v1/overview`, { cookie });
    expect([res.status, res.body?.error?.message]).toEqual([401, 'your session has ended (your account was removed or its role changed): sign in again']);
  });

  it('locks everyone out while the users file is broken, leaving what is open to anyone open', async () => {
    writeFileSync(usersFile, 'users: [ { name: vera, role: viewer, password_hash: plaintext } ]');
    const refused = await call('GET', `${base}/api/v1/overview`, { cookie: cookies.viewer! });
    expect([refused.status, refused.body?.error?.code]).toEqual([503, 'users_unavailable']);
    expect((await call('GET', `${base}/healthz`, { cookie: cookies.viewer! })).status).toBe(200);
    await writeUsers([{ name: 'vera', role: 'viewer' }, { name: 'otto', role: 'operator' }, { name: 'ada', role: 'admin' }, { name: 'rita', role: 'viewer' }]);
    expect((await call('GET', `${base}/api/v1/overview`, { cookie: cookies.viewer! })).status).toBe(200);
  });
});

const token = (kind: 'viewer' | 'operator' | 'admin') => ({ authorization: `Bearer ${TOKENS[kind]}` });

describe('authorization', () => {
  const identities: [string, IdentityKind, Record<string, string>][] = [
    ['anonymous', 'anonymous', {}],
    ['ingest key', 'ingest', { authorization: `Bearer ${INGEST.token}` }],
    ['viewer session', 'viewer', {}],
    ['operator session', 'operator', {}],
    ['admin session', 'admin', {}],
    ['viewer token', 'viewer', token('viewer')],
    ['operator token', 'operator', token('operator')],
    ['admin token', 'admin', token('admin')],
  ];

  function expected(rule: RouteRule, kind: IdentityKind): number {
    if (rule.access === 'ingest') return kind === 'ingest' ? 202 : 401;
    if (rule.access === 'signature') return 401;
    const d = decide(rule.access, kind);
    return d.allow ? 200 : d.status;
  }

  it('answers every route × identity as the policy says: 0 mismatches', async () => {
    const mismatches: string[] = [];
    let calls = 0;
    const routes = servedRoutes().filter((r) => r.pattern !== '/api/v1/session');
    for (const rule of routes) {
      for (const [label, kind, headers] of identities) {
        const sessionHeaders = label.endsWith('session') ? { cookie: cookies[kind]! } : headers;
        const res = await call(rule.method, `${base}${rule.example}`, sessionHeaders);
        calls++;
        if (res.status !== expected(rule, kind)) mismatches.push(`${rule.method} ${rule.example} as ${label}: ${res.status}, expected ${expected(rule, kind)}`);
      }
    }
    expect(calls).toBe(routes.length * identities.length);
    expect(mismatches).toEqual([]);
  });

  it('says what to send (401) and which role is needed (403)', async () => {
    const anonymous = await call('POST', `${base}/api/v1/replays`);
    expect(anonymous.body?.error?.message).toBe('sign in first (POST /api/v1/session with {"name", "password"}) or send Authorization: Bearer <API token>');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="flowlens"');
    const viewer = await call('POST', `${base}/api/v1/replays`, token('viewer'));
    expect(viewer.body?.error).toEqual({ status: 403, code: 'forbidden', message: `POST /api/v1/replays needs the operator role; token:${tokenFingerprint(TOKENS.viewer)} is viewer` });
    const ingest = await call('GET', `${base}/api/v1/exceptions`, { authorization: `Bearer ${INGEST.token}` });
    expect(ingest.body?.error?.message).toBe('GET /api/v1/exceptions needs the viewer role; ingest:pos is an ingest key, which can only send events (POST /v1/events, /v1/files/…)');
    const bad = await call('GET', `${base}/api/v1/overview`, { authorization: 'Bearer not-a-token' });
    expect([bad.status, bad.body?.error?.message]).toEqual([401, 'the bearer token is neither an API token nor an ingest key']);
  });

  it('gives the route the identity as actor, never a body field', async () => {
    const res = await call('POST', `${base}/api/v1/replays`, token('operator'), JSON.stringify({ actor: 'someone-else' }));
    expect(res.body).toEqual({ ok: true, actor: `token:${tokenFingerprint(TOKENS.operator)}` });
    const bySession = await call('POST', `${base}/api/v1/alerts/0123456789abcdef/acknowledge`, { cookie: cookies.operator!, 'content-type': 'application/json' }, '{}');
    expect(bySession.body).toEqual({ ok: true, actor: 'otto' });
  });

  it('refuses form posts to the API (CSRF) and lets a DELETE without a body through', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const res = await call('POST', `${base}/api/v1/replays`, { cookie: cookies.operator!, 'content-type': type }, 'a=1');
      expect([res.status, res.body?.error?.code], type).toEqual([415, 'unsupported_media_type']);
    }
    expect((await login('vera', PASSWORD, base, { 'content-type': 'text/plain' })).status).toBe(415);
    const res = await fetch(`${base}/api/v1/alerts/mutes/mute-1`, { method: 'DELETE', headers: { cookie: cookies.operator! } });
    expect(res.status).toBe(200);
  });
});

describe('audit trail', () => {
  it('records allowed, refused and failed changes with who, what, target, when, where and result — never the body', async () => {
    const before = Date.now();
    await call('POST', `${base}/api/v1/replays/rpl-0123456789abcdef0123/approve`, { cookie: cookies.operator! }, JSON.stringify({ note: 'secret-note-text' }));
    await call('POST', `${base}/api/v1/replays/rpl-0123456789abcdef0123/approve`, { cookie: cookies.viewer! });
    await call('POST', `${base}/api/v1/alerts/mutes`);
    await call('POST', `${base}/api/v1/replays/rpl-conflict/cancel`, token('admin'));
    await login('ada', 'not-the-password-xyz');
    await login('ada');
    await call('GET', `${base}/api/v1/overview`, token('viewer'));
    await call('POST', `${base}/v1/events`, { authorization: `Bearer ${INGEST.token}` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await audit.flush();
    const { rows } = await auditLog(store.query, schema, { from: before, to: Date.now() + 1000, limit: 50, offset: 0 });
    // Requests a millisecond apart may share a time: compare as a set.
    const sorted = (list: unknown[][]) => list.map((x) => JSON.stringify(x)).sort();
    const seen = rows.map((r: AuditRow) => [r.actor, r.action, r.target, r.status, r.result, r.detail]);
    expect(sorted(seen)).toEqual(sorted([
      ['otto', 'replay.approve', 'rpl-0123456789abcdef0123', 200, 'ok', ''],
      ['vera', 'replay.approve', 'rpl-0123456789abcdef0123', 403, 'denied', 'needs_operator'],
      ['anonymous', 'alert.mute', '', 401, 'denied', 'no_credentials'],
      [`token:${tokenFingerprint(TOKENS.admin)}`, 'replay.cancel', 'rpl-conflict', 409, 'failed', 'job_finished'],
      ['anonymous', 'session.login', '', 401, 'denied', 'invalid_credentials'],
      ['ada', 'session.login', '', 200, 'ok', ''],
    ]));
    expect(rows.every((r) => r.from_ip === '127.0.0.1' && r.at >= before && r.method === 'POST')).toBe(true);
    expect(rows.find((r) => r.actor === 'otto')).toMatchObject({ actor_kind: 'operator', path: '/api/v1/replays/rpl-0123456789abcdef0123/approve' });
    expect(JSON.stringify(rows)).not.toMatch(/secret-note-text|not-the-password|right-password|api-admin-/);
  });
});
