import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind, defaultTextMapGetter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import { z } from 'zod';
import { ERROR_CLASSES, EVENT_STATUSES } from '../../contracts/canonicalEvent.js';
import type { ErpPosting } from '../model.js';
import { retailAttributes } from '../otel/retailAttributes.js';
import { createPostingLedger, postingHash, type AppliedPosting, type PostingLedger } from './erpPostings.js';

/** A window in which the ERP answers 503, in epoch ms: `[from, to)`. */
export type ErpOutage = { from: number; to: number };

export type ErpServerOptions = {
  /** The ERP's own service tracer; the caller builds (and shuts down) its provider. */
  tracer: Tracer;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: an ephemeral port, read it back from `url`. */
  port?: number;
  outages?: readonly ErpOutage[];
  /** `Retry-After` sent with a 503; default 5. */
  retryAfterSeconds?: number;
};

export type ErpServer = {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** How many distinct idempotency keys were applied. */
  applied(): number;
  isApplied(key: string): boolean;
  setOutages(outages: readonly ErpOutage[]): void;
  close(): Promise<void>;
};

const BODY_LIMIT = '256kb';
/** Span length of an applied posting: the ERP's work is not what the simulation measures. */
const POSTING_SPAN_MS = 15;
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;
const EPOCH_MS = /^\d{1,16}$/;

const required = (field: string) =>
  z.string({ error: `${field} is required and must be a string` }).min(1, `${field} must not be empty`);
const text = (field: string) => z.string({ error: `${field} must be a string` }).optional();

const eventSchema = z
  .strictObject(
    {
      event_id: required('event.event_id'),
      correlation_id: required('event.correlation_id'),
      flow: required('event.flow'),
      step: required('event.step'),
      system: required('event.system'),
      // The ERP stamps its own time (the request's), so a sender's occurred_at is accepted and dropped.
      occurred_at: z.unknown().optional(),
      target_system: text('event.target_system'),
      channel: text('event.channel'),
      region: text('event.region'),
      location_id: text('event.location_id'),
      sku: text('event.sku'),
      quantity: z.number({ error: 'event.quantity must be a number' }).optional(),
      amount: text('event.amount'),
      currency: text('event.currency'),
      status: z.enum(EVENT_STATUSES, { error: `event.status must be one of ${EVENT_STATUSES.join(', ')}` }).optional(),
      error_code: text('event.error_code'),
      error_class: z.enum(ERROR_CLASSES, { error: `event.error_class must be one of ${ERROR_CLASSES.join(', ')}` }).optional(),
      error_message: text('event.error_message'),
      keys: z.record(z.string(), z.string({ error: 'event.keys values must be strings' }), { error: 'event.keys must be an object of strings' }).optional(),
      payload: z.unknown().optional(),
      replay_target: text('event.replay_target'),
    },
    { error: 'event must be an object' },
  )
  .transform(({ occurred_at: _ignored, ...event }) => event);

const DOCUMENT_TYPES = ['inventory', 'invoice', 'credit_memo', 'transfer'] as const satisfies readonly ErpPosting['document_type'][];

const postingSchema = z.strictObject(
  {
    idempotency_key: required('idempotency_key'),
    document_type: z.enum(DOCUMENT_TYPES, { error: `document_type must be one of ${DOCUMENT_TYPES.join(', ')}` }),
    event: eventSchema,
  },
  { error: 'the body must be a JSON object' },
);

type BodyCheck = { ok: true; posting: ErpPosting } | { ok: false; field: string; message: string };

function parsePosting(body: unknown): BodyCheck {
  const parsed = postingSchema.safeParse(body);
  if (parsed.success) return { ok: true, posting: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    return { ok: false, field: [...issue.path, issue.keys[0]].join('.'), message: 'unknown field (not part of an ERP posting)' };
  }
  return { ok: false, field: issue.path.join('.') || '(body)', message: issue.message };
}

/** Starts the simulated ERP's HTTP API; resolves once it listens. */
export async function startErpServer(options: ErpServerOptions): Promise<ErpServer> {
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  if (!Number.isSafeInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
    throw new RangeError(`retryAfterSeconds must be a whole number of seconds ≥ 0, got ${retryAfterSeconds}`);
  }
  const host = options.host ?? '127.0.0.1';
  const ledger = createPostingLedger();
  let outages: readonly ErpOutage[] = [...(options.outages ?? [])];
  const app = erpApp({ ledger, tracer: options.tracer, retryAfterSeconds, isDown: (at) => outages.some((o) => at >= o.from && at < o.to) });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    applied: () => ledger.size(),
    isApplied: (key) => ledger.find(key) !== undefined,
    setOutages(next) {
      outages = [...next];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

type ErpDeps = { ledger: PostingLedger; tracer: Tracer; retryAfterSeconds: number; isDown(at: number): boolean };

function erpApp({ ledger, tracer, retryAfterSeconds, isDown }: ErpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const propagator = new W3CTraceContextPropagator();
  const found = (record: AppliedPosting) => ({ posting_id: record.posting_id, applied_at: new Date(record.applied_at).toISOString() });

  app.get('/erp/v1/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/erp/v1/postings/:key', (req, res) => {
    const record = ledger.find(req.params.key);
    if (record) res.json({ status: 'applied', ...found(record) });
    else res.status(404).json({ status: 'not_found' });
  });

  // Synchronous from the ledger check to the answer: concurrent requests with one key cannot both apply it.
  app.post('/erp/v1/postings', express.json({ limit: BODY_LIMIT }), (req, res) => {
    const key = req.get('idempotency-key');
    if (!key) return void res.status(400).json({ error: 'missing_header', message: 'Idempotency-Key header is required' });
    if (!IDEMPOTENCY_KEY.test(key)) return invalidHeader(res, 'Idempotency-Key', 'Idempotency-Key must be 1–255 printable ASCII characters');
    const simulatedTime = req.get('x-simulated-time');
    // The simulator runs in compressed or backfilled time and says which; real callers (replays) do not.
    const at = simulatedTime === undefined ? Date.now() : EPOCH_MS.test(simulatedTime) ? Number(simulatedTime) : undefined;
    if (at === undefined) return invalidHeader(res, 'X-Simulated-Time', 'X-Simulated-Time must be epoch milliseconds (a whole number)');
    if (req.body === undefined) {
      return void res.status(415).json({ error: 'unsupported_media_type', message: 'Content-Type must be application/json' });
    }
    const check = parsePosting(req.body);
    if (!check.ok) return void res.status(400).json({ error: 'invalid_body', field: check.field, message: check.message });
    const { posting } = check;
    if (posting.idempotency_key !== key) {
      return void res.status(400).json({ error: 'invalid_body', field: 'idempotency_key', message: 'idempotency_key must equal the Idempotency-Key header' });
    }
    if (isDown(at)) {
      res.set('Retry-After', String(retryAfterSeconds));
      return void res.status(503).json({ error: 'unavailable', message: 'ERP is unavailable (simulated outage)' });
    }
    const outcome = ledger.apply(key, postingHash(posting), at);
    if (outcome.kind === 'already_applied') return void res.status(200).json({ status: 'already_applied', ...found(outcome.record) });
    if (outcome.kind === 'key_reused') {
      return void res.status(422).json({
        error: 'idempotency_key_reused',
        message: `Idempotency-Key ${key} was already used for a different posting (${outcome.record.posting_id}); use a new key for a new posting`,
      });
    }
    const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const attributes = { ...retailAttributes(posting.event), 'erp.posting_id': outcome.record.posting_id };
    const span = tracer.startSpan(`erp.post_${posting.document_type}`, { kind: SpanKind.SERVER, startTime: new Date(at), attributes }, parent);
    span.end(new Date(at + POSTING_SPAN_MS));
    res.status(201).json({ status: 'applied', ...found(outcome.record) });
  });

  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route ${req.method} ${req.path}` });
  });
  app.use(erpErrors);
  return app;
}

function invalidHeader(res: Response, field: string, message: string): void {
  res.status(400).json({ error: 'invalid_header', field, message });
}

/** body-parser's failures become the ERP's JSON errors; anything else is a bug in the simulator. */
const erpErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return void res.status(400).json({ error: 'invalid_json', message: 'the request body is not valid JSON' });
  if (type === 'entity.too.large') return void res.status(413).json({ error: 'payload_too_large', message: 'the request body exceeds 256 KiB' });
  const status = (err as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return void res.status(status).json({ error: 'bad_request', message: (err as Error).message });
  }
  res.status(500).json({ error: 'internal', message: `simulated ERP failed: ${err instanceof Error ? err.message : String(err)}` });
};
