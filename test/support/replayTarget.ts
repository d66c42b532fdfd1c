import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReplayTarget } from '../../server/services/replay/replayPorts.js';
import type { ErpPosting } from '../../server/simulator/model.js';
import { startErpServer, type ErpServer } from '../../server/simulator/erp/erpServer.js';

/**
 * A replay target for tests: the simulated ERP (which applies each idempotency key once and answers lookups)
 * behind a real HTTP proxy on 127.0.0.1 that counts what reaches it and can hold a posting on cue — the way a
 * test loses a response: the proxy keeps the request, the test kills the sender, then lets the posting reach
 * the ERP or not.
 */
export type ErpTarget = {
  erp: ErpServer;
  /** The target as Flowlens is configured with it (`erp`, lookup included). */
  target: ReplayTarget;
  /** POSTs that reached the proxy, for one key or in all. */
  posts(key?: string): number;
  /** POSTs passed on to the ERP (each one could apply the document). */
  forwarded(key?: string): number;
  lookups(): number;
  /** Hold the next POST (of this key, when given): not passed on, not answered; resolves with its key once it arrives. */
  holdNext(key?: string): Promise<string>;
  /** Let the held POST reach the ERP (`apply`) or drop it (`discard`); its answer goes nowhere either way. */
  releaseHeld(decision: 'apply' | 'discard'): Promise<void>;
  /** Answer every POST with this status instead of passing it on (undefined: pass on). */
  answerWith(status: number | undefined, delayMs?: number): void;
  /** Wait this long before passing each POST on (a slow target). */
  delayPosts(ms: number): void;
  close(): Promise<void>;
};

type Held = { key: string; body: string; headers: Record<string, string>; res: ServerResponse };

export async function startErpTarget(options: { ratePerSecond?: number; timeoutMs?: number } = {}): Promise<ErpTarget> {
  const erp = await startErpServer({ tracer: new BasicTracerProvider().getTracer('replay-test-erp') });
  const posts = new Map<string, number>();
  const forwarded = new Map<string, number>();
  let lookups = 0;
  let holding: { key?: string; signal: (key: string) => void } | undefined;
  let held: Held | undefined;
  let answer: { status: number; delayMs: number } | undefined;
  let postDelayMs = 0;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  async function forward(h: Omit<Held, 'res'>): Promise<Response> {
    count(forwarded, h.key);
    return fetch(`${erp.url}/erp/v1/postings`, { method: 'POST', headers: h.headers, body: h.body });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET') {
      lookups++;
      const answer = await fetch(`${erp.url}${req.url}`);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      return;
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    count(posts, key);
    const headers = { 'content-type': String(req.headers['content-type'] ?? ''), 'idempotency-key': key };
    if (holding && (holding.key === undefined || holding.key === key)) {
      held = { key, body, headers, res };
      const { signal } = holding;
      holding = undefined;
      signal(key);
      return;
    }
    if (answer) {
      await new Promise((resolve) => setTimeout(resolve, answer!.delayMs));
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'test', message: `answered ${answer.status} by the test target` }));
      return;
    }
    if (postDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, postDelayMs));
    const reply = await forward({ key, body, headers });
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(await reply.text());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const total = (map: Map<string, number>, key?: string) => (key === undefined ? [...map.values()].reduce((a, b) => a + b, 0) : (map.get(key) ?? 0));
  return {
    erp,
    target: {
      name: 'erp',
      url: `${base}/erp/v1/postings`,
      method: 'POST',
      headers: { Authorization: 'Bearer test-erp-secret' },
      secretHeaders: [],
      ratePerSecond: options.ratePerSecond ?? 1_000,
      timeoutMs: options.timeoutMs ?? 5_000,
      lookupUrl: `${base}/erp/v1/postings/{idempotency_key}`,
      allowAddresses: [],
    },
    posts: (key) => total(posts, key),
    forwarded: (key) => total(forwarded, key),
    lookups: () => lookups,
    holdNext: (key) => new Promise<string>((resolve) => (holding = { key, signal: resolve })),
    async releaseHeld(decision) {
      const h = held;
      held = undefined;
      if (!h) return;
      if (decision === 'apply') await (await forward(h)).text();
      h.res.destroy();
    },
    answerWith(status, delayMs = 0) {
      answer = status === undefined ? undefined : { status, delayMs };
    },
    delayPosts(ms) {
      postDelayMs = ms;
    },
    close: async () => {
      held?.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await erp.close();
    },
  };
}

/** A dead-lettered ERP posting as the middleware reports it (server/simulator/plan/erpPosting.ts): the posting is its payload. */
export function deadLetteredPosting(correlationId: string, occurredAt: number, flow = 'inventory_sync', step = 'erp.inventory.posted'): Record<string, unknown> {
  const key = `${correlationId}:${step}`;
  const posting: ErpPosting = {
    idempotency_key: key,
    document_type: flow === 'inventory_sync' ? 'inventory' : 'invoice',
    event: { event_id: key, correlation_id: correlationId, flow, step, system: 'erp', status: 'ok', keys: { movement_id: correlationId } },
  };
  return {
    event_id: `${key}:attempt-4`,
    correlation_id: correlationId,
    flow,
    step,
    system: 'middleware',
    target_system: 'erp',
    occurred_at: occurredAt,
    status: 'dead_lettered',
    error_code: 'HTTP_503',
    error_class: 'technical',
    error_message: 'ERP answered 503 Service Unavailable 4 times; moved to the dead-letter queue',
    keys: { movement_id: correlationId },
    payload: posting,
    replay_target: 'erp',
  };
}
