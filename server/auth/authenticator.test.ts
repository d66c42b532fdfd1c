import { describe, expect, it } from 'vitest';
import { apiTokenRing, tokenFingerprint } from './apiTokens.js';
import { createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator.js';
import { createLoginThrottle } from './loginThrottle.js';
import { hashPassword } from './passwords.js';
import { SESSION_COOKIE, signSession } from './sessions.js';
import { socketAuth } from './socketAuth.js';
import { openUserDirectory } from './users.js';

const SECRET = Buffer.from('test-secret-test-secret-test-secret-0123');
const OPERATOR_TOKEN = 'op-token-0123456789abcdefghij';
const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
const T0 = Date.parse('2026-11-27T10:00:00Z');
const HOUR = 3_600_000;

async function setup(overrides: Partial<AuthenticatorOptions> = {}) {
  const hash = await hashPassword('ana-password');
  const users = await openUserDirectory({ users: [{ name: 'Ana', role: 'operator', password_hash: hash }] });
  let now = T0;
  const auth = await createAuthenticator({
    users,
    apiTokens: apiTokenRing([{ token: OPERATOR_TOKEN, role: 'operator' }]),
    ingestKeys: [{ name: 'pos', token: INGEST_TOKEN }],
    secret: SECRET,
    sessionTtlMs: 12 * HOUR,
    trustProxy: false,
    now: () => now,
    ...overrides,
  });
  return { auth, tick: (ms: number) => (now += ms) };
}

const request = (headers: Record<string, string> = {}, address = '127.0.0.1') => ({ socket: { remoteAddress: address }, headers });
const cookieOf = (setCookie: string) => ({ cookie: `${SESSION_COOKIE}=${/flowlens_session=([^;]*)/.exec(setCookie)![1]!}` });

describe('identify', () => {
  it('names an API token by its fingerprint, an ingest key by its name, and nobody without credentials', async () => {
    const { auth } = await setup();
    expect(await auth.identify(request({ authorization: `Bearer ${OPERATOR_TOKEN}` }))).toEqual({ identity: { kind: 'operator', name: `token:${tokenFingerprint(OPERATOR_TOKEN)}`, role: 'operator', via: 'api_token' } });
    expect(await auth.identify(request({ authorization: `bearer ${INGEST_TOKEN}` }))).toEqual({ identity: { kind: 'ingest', name: 'ingest:pos', role: null, via: 'ingest_key' } });
    expect(await auth.identify(request())).toEqual({ identity: expect.objectContaining({ kind: 'anonymous' }) });
    expect((await auth.identify(request({ authorization: 'Bearer nope' }))).problem).toBe('invalid_token');
    expect((await auth.identify(request({ authorization: 'Basic YTpi' }))).problem).toBe('unsupported_authorization');
  });

  it('reads a session cookie, re-checking the user, and says why one no longer counts', async () => {
    const { auth, tick } = await setup();
    const login = await auth.login(request(), 'ana', 'ana-password');
    if (!login.ok) throw new Error('sign-in failed');
    expect(login.identity).toMatchObject({ kind: 'operator', name: 'Ana', via: 'session', expiresAt: T0 + 12 * HOUR });
    expect((await auth.identify(request(cookieOf(login.setCookie)))).identity).toMatchObject({ kind: 'operator', name: 'Ana' });

    const promoted = signSession({ name: 'Ana', role: 'admin', issuedAt: T0, expiresAt: T0 + HOUR }, SECRET);
    expect((await auth.identify(request({ cookie: `${SESSION_COOKIE}=${promoted}` }))).problem).toBe('session_ended');
    const ghost = signSession({ name: 'bo', role: 'viewer', issuedAt: T0, expiresAt: T0 + HOUR }, SECRET);
    expect((await auth.identify(request({ cookie: `${SESSION_COOKIE}=${ghost}` }))).problem).toBe('session_ended');
    expect((await auth.identify(request({ cookie: `${SESSION_COOKIE}=x.y` }))).problem).toBe('session_invalid');
    tick(12 * HOUR);
    expect((await auth.identify(request(cookieOf(login.setCookie)))).problem).toBe('session_expired');
  });

  it('refuses a token configured both as an API token and as an ingest key', async () => {
    await expect(setup({ ingestKeys: [{ name: 'pos', token: OPERATOR_TOKEN }] })).rejects.toThrow(/ingest key pos is also an API token/);
  });
});

describe('login', () => {
  it('answers the same for an unknown name and a wrong password', async () => {
    const { auth } = await setup();
    expect(await auth.login(request(), 'nobody', 'ana-password')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await auth.login(request(), 'ana', 'wrong')).toEqual({ ok: false, reason: 'invalid_credentials' });
  });

  it('takes as long for an unknown name as for a wrong password (a dummy hash of the same cost)', async () => {
    const { auth } = await setup();
    const time = async (name: string) => {
      const start = process.hrtime.bigint();
      await auth.login(request({}, `10.0.0.${Math.random()}`), name, 'wrong');
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time('ana'));
      unknown.push(await time(`nobody${i}`));
    }
    // Without the dummy check an unknown name answers in well under a millisecond; scrypt here takes ~50–150 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it('rate-limits failures per address and name, and says when to try again', async () => {
    const throttle = createLoginThrottle({ perName: 2, perAddress: 100, windowMs: 15 * 60_000, maxKeys: 100 });
    const { auth } = await setup({ throttle });
    await auth.login(request(), 'ana', 'x');
    await auth.login(request(), 'ana', 'y');
    expect(await auth.login(request(), 'ana', 'ana-password')).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 900 });
    expect((await auth.login(request({}, '10.9.9.9'), 'ana', 'ana-password')).ok).toBe(true);
  });
});

describe('socketAuth', () => {
  it('lets a viewer or better connect and refuses nobody and ingest keys', async () => {
    const { auth } = await setup();
    expect(await connect(auth, { authorization: `Bearer ${OPERATOR_TOKEN}` })).toMatchObject({ data: { identity: { kind: 'operator' } } });
    expect((await connect(auth, {})).error).toMatch(/^unauthenticated: sign in first \(POST \/api\/v1\/session/);
    expect((await connect(auth, { authorization: 'Bearer nope-0123456789abcdefghijkl' })).error).toBe('unauthenticated: the bearer token is neither an API token nor an ingest key');
    expect((await connect(auth, { authorization: `Bearer ${INGEST_TOKEN}` })).error).toMatch(/^forbidden: live updates need the viewer role; ingest:pos is an ingest key, which can only send events/);
  });

  it('closes a connection made with a session when the session ends, and keeps one made with an API token', async () => {
    const { auth } = await setup();
    const login = await auth.login(request(), 'ana', 'ana-password');
    if (!login.ok) throw new Error('sign-in failed');
    const expiresAt = login.identity.expiresAt!;
    const session = await connect(auth, cookieOf(login.setCookie), () => expiresAt - 30);
    const token = await connect(auth, { authorization: `Bearer ${OPERATOR_TOKEN}` }, () => expiresAt - 30);
    expect(session.disconnected()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(session.disconnected()).toBe(true);
    expect(token.disconnected()).toBe(false);
  });
});

function connect(auth: Authenticator, headers: Record<string, string>, now?: () => number) {
  return new Promise<{ error?: string; data: Record<string, unknown>; disconnected: () => boolean }>((resolve) => {
    let closed = false;
    const socket = { request: request(headers), data: {} as Record<string, unknown>, disconnect: () => (closed = true), once: () => undefined };
    socketAuth(auth, now)(socket, (err) => resolve({ ...(err ? { error: err.message } : {}), data: socket.data, disconnected: () => closed }));
  });
}
