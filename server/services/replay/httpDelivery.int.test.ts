import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErpPosting } from '../../simulator/model.js';
import { startErpServer, type ErpServer } from '../../simulator/erp/erpServer.js';
import { createHttpDelivery, retryAfterMs, type ResolvedAddress } from './httpDelivery.js';
import type { DeliveryRequest, ReplayTarget } from './replayPorts.js';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };
type TestServer = { url: string; port: number; seen: Seen[]; close(): Promise<void> };
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
const tracer = tracerProvider.getTracer('erp-replay-test');
const servers: TestServer[] = [];
let erp: ErpServer;

beforeAll(async () => {
  erp = await startErpServer({ tracer });
});
afterAll(async () => {
  await erp.close();
  await tracerProvider.shutdown();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A purpose-built target on 127.0.0.1 that records every request it reads. */
async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  servers.push(handle);
  return handle;
}

let keyCount = 0;
function posting(): ErpPosting {
  const key = `ORD-${++keyCount}:erp.invoice_posted`;
  return {
    idempotency_key: key,
    document_type: 'invoice',
    event: { event_id: key, correlation_id: `ORD-${keyCount}`, flow: 'order_to_cash', step: 'erp.invoice_posted', system: 'erp', amount: '49.90', currency: 'EUR', status: 'ok' },
  };
}

function target(url: string, more: Partial<ReplayTarget> = {}): ReplayTarget {
  return { name: 'erp', url, method: 'POST', headers: {}, secretHeaders: [], ratePerSecond: 1000, timeoutMs: 5000, allowAddresses: [], ...more };
}

function erpTarget(more: Partial<ReplayTarget> = {}): ReplayTarget {
  return target(`${erp.url}/erp/v1/postings`, { lookupUrl: `${erp.url}/erp/v1/postings/{idempotency_key}`, ...more });
}

function request(to: ReplayTarget, doc: ErpPosting = posting()): DeliveryRequest {
  return { target: to, idempotencyKey: doc.idempotency_key, contentType: 'application/json', body: JSON.stringify(doc) };
}

describe('deliver to the simulated ERP', () => {
  it('applies a posting once; the same key again is answered as already applied, not posted twice', async () => {
    const delivery = createHttpDelivery();
    const doc = posting();
    const before = erp.applied();

    const first = await delivery.deliver(request(erpTarget(), doc));
    const again = await delivery.deliver(request(erpTarget(), doc));

    expect(first).toMatchObject({ kind: 'applied', status: 201 });
    expect(first.kind === 'applied' && JSON.parse(first.body)).toMatchObject({ status: 'applied' });
    expect(again).toMatchObject({ kind: 'applied', status: 200 });
    expect(erp.applied()).toBe(before + 1);
    expect(await delivery.lookup(erpTarget(), doc.idempotency_key)).toEqual({ kind: 'applied' });
    expect(await delivery.lookup(erpTarget(), posting().idempotency_key)).toEqual({ kind: 'not_applied' });
  });

  it('reports a key reused for a different posting as rejected, with the ERP’s reason', async () => {
    const delivery = createHttpDelivery();
    const doc = posting();
    await delivery.deliver(request(erpTarget(), doc));

    const changed = { ...doc, event: { ...doc.event, amount: '59.90' } };
    const outcome = await delivery.deliver(request(erpTarget(), changed));

    expect(outcome).toMatchObject({ kind: 'rejected', status: 422 });
    expect(outcome.kind === 'rejected' && outcome.reason).toMatch(/^HTTP 422 Unprocessable Entity: .*was already used for a different posting/);
  });

  it('reports an outage as refused with the ERP’s Retry-After, and nothing applied', async () => {
    const delivery = createHttpDelivery();
    const doc = posting();
    erp.setOutages([{ from: 0, to: Number.MAX_SAFE_INTEGER }]);
    try {
      const outcome = await delivery.deliver(request(erpTarget(), doc));

      expect(outcome).toMatchObject({ kind: 'refused', status: 503, retryAfterMs: 5000 });
      expect(erp.isApplied(doc.idempotency_key)).toBe(false);
    } finally {
      erp.setOutages([]);
    }
  });

  it('calls a response lost after the ERP applied the posting unknown; the lookup then says applied, counted once', async () => {
    // A proxy that passes the posting on to the ERP and then drops the connection instead of answering.
    const lossy = await startServer((req, res, body) => {
      void fetch(`${erp.url}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': String(req.headers['idempotency-key']) }, body })
        .then((answer) => answer.text())
        .then(() => res.socket?.destroy());
    });
    const delivery = createHttpDelivery();
    const doc = posting();
    const before = erp.applied();
    const viaProxy = erpTarget({ url: `${lossy.url}/erp/v1/postings` });

    const outcome = await delivery.deliver(request(viaProxy, doc));

    expect(outcome.kind).toBe('unknown');
    expect(outcome.kind === 'unknown' && outcome.reason).toMatch(/after the request was sent to 127\.0\.0\.1:\d+$/);
    expect(await delivery.lookup(viaProxy, doc.idempotency_key)).toEqual({ kind: 'applied' });
    expect(erp.applied()).toBe(before + 1);
  });
});

describe('deliver: what the target receives and each outcome', () => {
  it('sends the body with Idempotency-Key, Content-Type, User-Agent and the target’s headers', async () => {
    const server = await startServer((_req, res) => res.writeHead(201).end('{"ok":true}'));
    const delivery = createHttpDelivery();
    const doc = posting();

    const outcome = await delivery.deliver(request(target(`${server.url}/in?x=1`, { method: 'PUT', headers: { Authorization: 'Bearer t0k3n', 'X-Tenant': 'eu-1' } }), doc));

    expect(outcome).toMatchObject({ kind: 'applied', status: 201, body: '{"ok":true}' });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatchObject({
      method: 'PUT',
      url: '/in?x=1',
      body: JSON.stringify(doc),
      headers: { 'idempotency-key': doc.idempotency_key, 'content-type': 'application/json', 'user-agent': 'flowlens-replay', authorization: 'Bearer t0k3n', 'x-tenant': 'eu-1' },
    });
  });

  it('keeps at most 4 KiB of a large answer', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end('x'.repeat(200_000)));

    const outcome = await createHttpDelivery().deliver(request(target(server.url)));

    expect(outcome.kind === 'applied' && outcome.body.length).toBe(4096);
  });

  it('does not follow a redirect to another host: rejected, naming it, and the other host receives nothing', async () => {
    const elsewhere = await startServer((_req, res) => res.writeHead(201).end());
    const redirecting = await startServer((_req, res) => res.writeHead(307, { Location: `http://localhost:${elsewhere.port}/steal` }).end());

    const outcome = await createHttpDelivery().deliver(request(target(redirecting.url)));

    expect(outcome).toMatchObject({ kind: 'rejected', status: 307, reason: `HTTP 307 Temporary Redirect: redirect to localhost:${elsewhere.port} not followed (replays go only to the configured URL)` });
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('reads Retry-After of a 429 in seconds or as a date, 5 s when absent', async () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const answers = [{ 'Retry-After': '2' }, { 'Retry-After': inAMinute }, {}];
    const server = await startServer((_req, res) => res.writeHead(429, answers.shift()).end());
    const delivery = createHttpDelivery();

    const outcomes = [await delivery.deliver(request(target(server.url))), await delivery.deliver(request(target(server.url))), await delivery.deliver(request(target(server.url)))];

    expect(outcomes.map((o) => o.kind)).toEqual(['refused', 'refused', 'refused']);
    const waits = outcomes.map((o) => (o.kind === 'refused' ? o.retryAfterMs : -1));
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(57_000);
    expect(waits[1]).toBeLessThanOrEqual(60_000);
    expect(waits[2]).toBe(5000);
  });

  it('calls a 500 unknown (the target may have applied it) and a 400 rejected', async () => {
    const answers = [500, 400];
    const server = await startServer((_req, res) => res.writeHead(answers.shift()!).end('{"error":"boom"}'));
    const delivery = createHttpDelivery();

    const failed = await delivery.deliver(request(target(server.url)));
    const bad = await delivery.deliver(request(target(server.url)));

    expect(failed).toMatchObject({ kind: 'unknown', reason: 'HTTP 500 Internal Server Error: {"error":"boom"}: the target may have applied it' });
    expect(bad).toMatchObject({ kind: 'rejected', status: 400, body: '{"error":"boom"}' });
  });

  it('calls a target that read the request and never answered unknown after its timeout', async () => {
    const server = await startServer(() => undefined);

    const outcome = await createHttpDelivery().deliver(request(target(server.url, { timeoutMs: 300 })));

    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'no answer within 300 ms of sending' });
    expect(server.seen).toHaveLength(1);
  });

  it('calls a connection reset after the body was read unknown', async () => {
    const server = await startServer((req) => req.socket.destroy());

    const outcome = await createHttpDelivery().deliver(request(target(server.url)));

    expect(outcome.kind).toBe('unknown');
    expect(server.seen).toHaveLength(1);
  });

  it('calls a refused connection refused (nothing was sent), to be tried again later', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();

    const outcome = await createHttpDelivery({ retryDelayMs: 7000 }).deliver(request(target(gone.url)));

    expect(outcome).toMatchObject({ kind: 'refused', status: 0, retryAfterMs: 7000 });
    expect(outcome.kind === 'refused' && outcome.reason).toMatch(/ECONNREFUSED.*nothing was sent$/);
  });

  it('calls a DNS failure refused, nothing sent', async () => {
    const resolve = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND erp.example.invalid'), { code: 'ENOTFOUND' }));

    const outcome = await createHttpDelivery({ resolve }).deliver(request(target('http://erp.example.invalid/postings')));

    expect(outcome).toMatchObject({ kind: 'refused', status: 0, reason: 'cannot resolve erp.example.invalid (getaddrinfo ENOTFOUND erp.example.invalid); nothing was sent' });
  });
});

describe('deliver: addresses', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a cloud metadata address, not listed in allowAddresses'],
    ['http://[fe80::1]:8080/postings', 'fe80::1 is link-local (fe80::/10), not listed in allowAddresses'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a cloud metadata host name, not listed in allowAddresses'],
    ['http://0.0.0.0:8080/', '0.0.0.0 is an unspecified address (0.0.0.0/8), not listed in allowAddresses'],
  ])('blocks %s without sending', async (url, reason) => {
    expect(await createHttpDelivery().deliver(request(target(url)))).toEqual({ kind: 'blocked', reason });
  });

  it('blocks a host that resolves to the metadata address among others, and sends nothing to any of them', async () => {
    const server = await startServer((_req, res) => res.writeHead(201).end());
    const resolve = async (): Promise<ResolvedAddress[]> => [
      { address: '127.0.0.1', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];

    const outcome = await createHttpDelivery({ resolve }).deliver(request(target(`http://erp.rebind.test:${server.port}/`)));

    expect(outcome).toEqual({ kind: 'blocked', reason: 'erp.rebind.test resolves to 169.254.169.254 is a cloud metadata address, not listed in allowAddresses' });
    expect(server.seen).toHaveLength(0);
  });

  it('connects to the address it checked (the host name is never resolved again) and delivers to an allowed loopback target', async () => {
    const server = await startServer((_req, res) => res.writeHead(201).end());
    let resolved = 0;
    const resolve = async (): Promise<ResolvedAddress[]> => {
      resolved += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };

    // `.test` names never resolve through real DNS: this arrives only through the checked address.
    const outcome = await createHttpDelivery({ resolve }).deliver(request(target(`http://erp.internal.test:${server.port}/`)));

    expect(outcome).toMatchObject({ kind: 'applied', status: 201 });
    expect(resolved).toBe(1);
    expect(server.seen[0]?.headers.host).toBe(`erp.internal.test:${server.port}`);
  });

  it('delivers to a metadata host name when the target lists it in allowAddresses', async () => {
    const server = await startServer((_req, res) => res.writeHead(201).end());
    const resolve = async (): Promise<ResolvedAddress[]> => [{ address: '127.0.0.1', family: 4 }];
    const listed = target(`http://metadata.google.internal:${server.port}/`, { allowAddresses: ['metadata.google.internal'] });

    expect(await createHttpDelivery({ resolve }).deliver(request(listed))).toMatchObject({ kind: 'applied' });
    expect(server.seen).toHaveLength(1);
  });
});

describe('deliver: rate limit and cancelling', () => {
  it('spaces requests to one target at its rate (6 at 10/s take about half a second)', async () => {
    const arrivals: number[] = [];
    const server = await startServer((_req, res) => {
      arrivals.push(Date.now());
      res.writeHead(201).end();
    });
    const delivery = createHttpDelivery();
    const limited = target(server.url, { ratePerSecond: 10 });
    const started = Date.now();

    const outcomes = await Promise.all(Array.from({ length: 6 }, () => delivery.deliver(request(limited))));

    expect(outcomes.every((o) => o.kind === 'applied')).toBe(true);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(480);
    expect(took).toBeLessThan(3000);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(450);
  });

  it('gives up waiting for its turn when cancelled, sending nothing', async () => {
    const server = await startServer((_req, res) => res.writeHead(201).end());
    const delivery = createHttpDelivery();
    const slow = target(server.url, { ratePerSecond: 0.1 });
    await delivery.deliver(request(slow));
    const cancel = new AbortController();

    const waiting = delivery.deliver(request(slow), cancel.signal);
    setTimeout(() => cancel.abort(), 50);

    expect(await waiting).toMatchObject({ kind: 'refused', status: 0, reason: 'cancelled before sending; nothing was sent' });
    expect(server.seen).toHaveLength(1);
  });

  it('calls a request cancelled after it was sent unknown', async () => {
    const server = await startServer(() => undefined);
    const cancel = new AbortController();

    const pending = createHttpDelivery().deliver(request(target(server.url)), cancel.signal);
    while (server.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    cancel.abort();

    expect(await pending).toMatchObject({ kind: 'unknown', reason: 'cancelled after sending' });
  });
});

describe('lookup', () => {
  it('is unknown without a lookup URL, and when the lookup fails or times out', async () => {
    const answers: ((res: ServerResponse) => void)[] = [(res) => res.writeHead(500).end('down'), () => undefined, (res) => res.writeHead(302, { Location: 'http://elsewhere.test/' }).end()];
    const server = await startServer((_req, res) => answers.shift()!(res));
    const delivery = createHttpDelivery();
    const withLookup = target(server.url, { lookupUrl: `${server.url}/postings/{idempotency_key}`, timeoutMs: 300, headers: { Authorization: 'Bearer t' } });

    expect(await delivery.lookup(target(server.url), 'k1')).toEqual({ kind: 'unknown', reason: 'target has no lookup' });
    expect(await delivery.lookup(withLookup, 'a/b')).toEqual({ kind: 'unknown', reason: 'lookup answered HTTP 500 Internal Server Error: down' });
    expect(await delivery.lookup(withLookup, 'k2')).toEqual({ kind: 'unknown', reason: 'lookup failed: no answer within 300 ms of sending' });
    expect(await delivery.lookup(withLookup, 'k3')).toEqual({ kind: 'unknown', reason: 'lookup answered HTTP 302 Found: redirect to elsewhere.test not followed (replays go only to the configured URL)' });
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/postings/a%2Fb', headers: { authorization: 'Bearer t', 'user-agent': 'flowlens-replay' } });
  });

  it('is unknown, not sent, when the lookup host is refused', async () => {
    const outcome = await createHttpDelivery().lookup(target('http://127.0.0.1/', { lookupUrl: 'http://169.254.169.254/{idempotency_key}' }), 'k');

    expect(outcome).toEqual({ kind: 'unknown', reason: 'lookup not sent: 169.254.169.254 is a cloud metadata address, not listed in allowAddresses' });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, defaults to 5 s and keeps at most an hour', () => {
    const now = Date.UTC(2026, 10, 27, 10, 0, 0);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(5000);
    expect(retryAfterMs(undefined, now)).toBe(5000);
    expect(retryAfterMs('86400', now)).toBe(3_600_000);
  });
});
