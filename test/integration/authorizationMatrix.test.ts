import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, servedRoutes, type IdentityKind, type RouteRule } from '../../server/auth/policy.js';
import { TEST_PASSWORD, TEST_TOKENS } from '../support/access.js';
import { mismatchOf, rawRequest, signIn, type Answer, type Expected } from '../support/accessProbe.js';
import { startTestServer, TEST_INGEST_TOKEN, type TestServer } from '../support/testServer.js';

/**
 * Issue 7's authorization matrix through the real app (real Flowlens, embedded ClickHouse, loopback HTTP): every
 * served route × every kind of caller → the answer the policy (server/auth/policy.ts) says, 0 mismatches. People
 * and API tokens of one role must be answered alike. server/auth/authMiddleware.int.test.ts runs the same table
 * on a stub app; this one proves the wiring.
 */

type Caller = { label: string; kind: IdentityKind; headers: Record<string, string>; signInAs?: string };
type CallerSpec = { label: string; kind: IdentityKind; token?: string; signInAs?: string };

const CALLER_SPECS: readonly CallerSpec[] = [
  { label: 'anonymous', kind: 'anonymous' },
  { label: 'ingest key', kind: 'ingest', token: TEST_INGEST_TOKEN },
  { label: 'viewer token', kind: 'viewer', token: TEST_TOKENS.viewer },
  { label: 'operator token', kind: 'operator', token: TEST_TOKENS.operator },
  { label: 'admin token', kind: 'admin', token: TEST_TOKENS.admin },
  { label: 'viewer session', kind: 'viewer', signInAs: 'vera' },
  { label: 'operator session', kind: 'operator', signInAs: 'olga' },
  { label: 'admin session', kind: 'admin', signInAs: 'ada' },
];

// Left out of the HTTP matrix, each for a reason:
// - POST /v1/traces and /v1/logs are served by the OTLP receiver on its own port (server.otlpUrl), an express app
//   of its own that the auth middleware is not part of (collectors/otlp/otlpServer.ts);
// - /socket.io/* is answered by socket.io before express sees it: its handshake (server/auth/socketAuth.ts) is
//   checked below with a real socket.io client, one connection per caller.
const onOtlpPort = (rule: RouteRule) => rule.source.includes('OTLP port');
const onSocketIo = (rule: RouteRule) => rule.pattern.startsWith('/socket.io/');
const HTTP_RULES = servedRoutes().filter((rule) => !onOtlpPort(rule) && !onSocketIo(rule));
const SOCKET_RULES = servedRoutes().filter(onSocketIo);

// Webhooks are configured, so an unsigned delivery meets the signature check rather than 503 not_configured.
const WEBHOOK_ENV = {
  FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: 'shopify-app-secret-for-the-matrix',
  FLOWLENS_STRIPE_WEBHOOK_SECRETS: 'whsec_stripe-secret-for-the-matrix',
  FLOWLENS_STANDARD_WEBHOOK_SECRETS: `whsec_${Buffer.from('standard-webhook-secret-for-the-matrix').toString('base64')}`,
};
// A Standard Webhooks delivery names itself before its signature is looked at: with these, it is merely unsigned.
const STANDARD_UNSIGNED = { 'webhook-id': 'msg_matrix', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };

/**
 * The answer the policy calls for. `decide` covers everything the auth layer refuses; routes it lets through
 * check their own credential: an ingest key (requireBearer: 401 to anything else, a signed-in person too) or a
 * webhook signature (401 to an unsigned delivery, whoever sends it).
 */
function expectedFor(rule: RouteRule, kind: IdentityKind): Expected {
  if (rule.access === 'ingest') return kind === 'ingest' ? { outcome: 'reached' } : { outcome: 'route_refuses', status: 401 };
  if (rule.access === 'signature') return { outcome: 'route_refuses', status: 401 };
  const decision = decide(rule.access, kind);
  if (!decision.allow) return { outcome: 'refused', status: decision.status };
  // Who-am-I is open to anyone and answers 401 itself to a caller without a role: nobody, or an ingest key.
  if (rule.method === 'GET' && rule.pattern === '/api/v1/session' && decide('viewer', kind).allow === false) return { outcome: 'route_refuses', status: 401 };
  return { outcome: 'reached' };
}

let server: TestServer;
let callers: Caller[];
/** Every answer of the matrix, by `METHOD example as caller`. */
const answers = new Map<string, Answer>();
const cell = (rule: RouteRule, caller: string) => `${rule.method} ${rule.example} as ${caller}`;

/**
 * A mutating request carries `{}` as JSON: enough for the auth layer, and no route changes anything on it — but
 * signing out ends the session it is sent with, so a person signs out a session of their own, signed in for it.
 */
async function send(rule: RouteRule, caller: Caller): Promise<Answer> {
  const signsOut = rule.method === 'DELETE' && rule.pattern === '/api/v1/session' && caller.signInAs !== undefined;
  const own: Record<string, string> = signsOut ? { cookie: await signIn(server.baseUrl, caller.signInAs!, TEST_PASSWORD) } : {};
  const headers = { ...caller.headers, ...own, ...(rule.pattern === '/webhooks/standard' ? STANDARD_UNSIGNED : {}) };
  if (rule.method === 'GET') return rawRequest(server.baseUrl, rule.method, rule.example, headers);
  return rawRequest(server.baseUrl, rule.method, rule.example, { ...headers, 'content-type': 'application/json' }, '{}');
}

beforeAll(async () => {
  server = await startTestServer({ env: WEBHOOK_ENV });
  callers = [];
  for (const spec of CALLER_SPECS) {
    const headers: Record<string, string> = {};
    if (spec.token !== undefined) headers.authorization = `Bearer ${spec.token}`;
    if (spec.signInAs !== undefined) headers.cookie = await signIn(server.baseUrl, spec.signInAs, TEST_PASSWORD);
    callers.push({ label: spec.label, kind: spec.kind, headers, ...(spec.signInAs === undefined ? {} : { signInAs: spec.signInAs }) });
  }
});
afterAll(async () => {
  await server?.close();
});

describe('mismatchOf (the matrix can fail)', () => {
  it('reports a wrong expectation and accepts a right one', () => {
    expect(mismatchOf({ outcome: 'reached' }, { status: 403, code: 'forbidden' })).toBe("got 403 forbidden, expected the route's own answer (not 401/403/415, not 5xx)");
    expect(mismatchOf({ outcome: 'reached' }, { status: 500, code: 'internal' })).toBeDefined();
    expect(mismatchOf({ outcome: 'refused', status: 403 }, { status: 404, code: 'not_found' })).toBe('got 404 not_found, expected 403 forbidden');
    // The route's own 401 (an ingest-key check) is not the auth layer's refusal.
    expect(mismatchOf({ outcome: 'refused', status: 401 }, { status: 401, code: 'unauthorized' })).toBeDefined();
    expect(mismatchOf({ outcome: 'route_refuses', status: 401 }, { status: 200 })).toBeDefined();
    expect(mismatchOf({ outcome: 'reached' }, { status: 404, code: 'not_found' })).toBeUndefined();
    expect(mismatchOf({ outcome: 'refused', status: 401 }, { status: 401, code: 'unauthenticated' })).toBeUndefined();
  });
});

describe('authorization matrix through the real app', () => {
  it(`answers every route × caller as the policy says: ${HTTP_RULES.length} routes × ${CALLER_SPECS.length} callers = ${HTTP_RULES.length * CALLER_SPECS.length} checks, 0 mismatches`, { timeout: 180_000 }, async () => {
    const mismatches: string[] = [];
    for (const rule of HTTP_RULES) {
      for (const caller of callers) {
        const answer = await send(rule, caller);
        answers.set(cell(rule, caller.label), answer);
        const why = mismatchOf(expectedFor(rule, caller.kind), answer);
        if (why !== undefined) mismatches.push(`${cell(rule, caller.label)}: ${why}`);
      }
    }
    console.info(`authorization matrix: ${HTTP_RULES.length} routes × ${callers.length} callers = ${answers.size} checks, ${mismatches.length} mismatches`);
    expect(answers.size).toBe(HTTP_RULES.length * CALLER_SPECS.length);
    expect(mismatches).toEqual([]);
  });

  it('would report a mismatch if the policy let a viewer acknowledge an alert', () => {
    const acknowledge = HTTP_RULES.find((r) => r.method === 'POST' && r.pattern === '/api/v1/alerts/:id/acknowledge')!;
    const answer = answers.get(cell(acknowledge, 'viewer token'));
    expect(answer).toBeDefined();
    expect(mismatchOf({ outcome: 'reached' }, answer!)).toBeDefined();
  });

  it('answers a signed-in person as an API token of the same role, on every route', () => {
    const differ: string[] = [];
    for (const rule of HTTP_RULES) {
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        const token = answers.get(cell(rule, `${role} token`))?.status;
        const session = answers.get(cell(rule, `${role} session`))?.status;
        if (token !== session) differ.push(`${rule.method} ${rule.example}: ${role} token ${token}, ${role} session ${session}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('answers an unsigned webhook alike whoever sends it', () => {
    const webhooks = HTTP_RULES.filter((r) => r.access === 'signature');
    expect(webhooks.map((r) => r.pattern)).toEqual(['/webhooks/shopify', '/webhooks/stripe', '/webhooks/standard']);
    for (const rule of webhooks) {
      const seen = new Set(CALLER_SPECS.map((c) => JSON.stringify([answers.get(cell(rule, c.label))?.status, answers.get(cell(rule, c.label))?.text])));
      expect([...seen], rule.pattern).toHaveLength(1);
      expect(answers.get(cell(rule, 'admin token'))).toMatchObject({ status: 401, code: 'missing_signature' });
    }
  });
});

describe('the auth layer’s own answers', () => {
  const as = (label: string) => callers.find((c) => c.label === label)!.headers;

  it('refuses a form post to the API with 415, from a token and from a session (CSRF)', async () => {
    for (const label of ['operator token', 'operator session']) {
      const res = await rawRequest(server.baseUrl, 'POST', '/api/v1/alerts/mutes', { ...as(label), 'content-type': 'application/x-www-form-urlencoded' }, 'reason=x&ends_at=1');
      expect([res.status, res.code], label).toEqual([415, 'unsupported_media_type']);
    }
  });

  it('fails closed on an unknown API read: 404 to a viewer, 401 to nobody, 403 to an ingest key', async () => {
    const path = '/api/v1/no-such-route';
    expect((await rawRequest(server.baseUrl, 'GET', path, as('viewer token'))).status).toBe(404);
    expect((await rawRequest(server.baseUrl, 'GET', path, as('anonymous'))).status).toBe(401);
    expect((await rawRequest(server.baseUrl, 'GET', path, as('ingest key'))).status).toBe(403);
  });

  it('refuses a bearer token it does not know with 401 and a WWW-Authenticate challenge', async () => {
    const res = await rawRequest(server.baseUrl, 'GET', '/api/v1/overview', { authorization: 'Bearer not-a-token-of-this-server-0123' });
    expect([res.status, res.code]).toEqual([401, 'unauthenticated']);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="flowlens"');
  });

  it('tells an ingest key reading the overview that it can only send events', async () => {
    const res = await rawRequest(server.baseUrl, 'GET', '/api/v1/overview', as('ingest key'));
    expect([res.status, res.code]).toEqual([403, 'forbidden']);
    expect(res.message).toContain('can only send events');
  });
});

describe('live updates (socket.io handshake)', () => {
  /** Connects over a WebSocket with the caller's headers: `connected`, or the connect_error's message. */
  function connect(caller: Caller): Promise<string> {
    const socket = io(server.baseUrl, { transports: ['websocket'], reconnection: false, timeout: 10_000, extraHeaders: caller.headers });
    return new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err: Error) => resolve(`refused: ${err.message}`));
    }).finally(() => socket.close());
  }

  it(`admits a viewer or more and refuses the rest: ${CALLER_SPECS.length} handshakes for ${SOCKET_RULES.length} socket.io rules`, async () => {
    expect(SOCKET_RULES.every((r) => r.access === 'viewer')).toBe(true);
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const caller of callers) {
      got[caller.label] = await connect(caller);
      const decision = decide('viewer', caller.kind);
      want[caller.label] = decision.allow ? 'connected' : decision.status === 401 ? 'refused: unauthenticated: sign in first' : 'refused: forbidden';
    }
    // A refused caller is told why (how to sign in, or that an ingest key only sends events): compare up to the reason.
    const short = (answers: Record<string, string>) =>
      Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.startsWith('refused: forbidden') ? 'refused: forbidden' : v.startsWith('refused: unauthenticated: sign in first') ? 'refused: unauthenticated: sign in first' : v]));
    expect(short(got)).toEqual(want);
  });
});
