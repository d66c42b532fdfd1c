import { randomUUID } from 'node:crypto';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../collectors/webhooks/fixtures/loadFixture.js';
import { shopifyHmac, standardSecretKey, standardSignatureHeader, stripeSignatureHeader } from '../../collectors/webhooks/signatures.js';
import type { Rng } from '../../server/simulator/random.js';
import { sdkLogRecords, sdkSpans } from '../support/otlpFixtures.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { faultRng, FAULTS_SCALE, scaled } from './support/faultRun.js';
import { fuzzBody, gzipped, type Mutation } from './support/fuzzBodies.js';

// Fault: bad input. Seeded mutations of valid OTLP protobuf and JSON bodies and of vendor webhook bodies (each
// correctly signed, so it reaches the parser) are POSTed to a real server. Every answer must be 2xx or 4xx: never
// a 5xx, never a dropped connection. A failure prints the body as base64 with its seed, to replay it.
// FLOWLENS_FAULTS_SCALE multiplies the bodies and the time bound.

const SHOPIFY_SECRET = 'shpss_fuzz-secret-0123456789abcdef';
const STRIPE_SECRET = 'whsec_fuzz_stripe_secret_0123456789';
const STANDARD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const STANDARD_KEY = standardSecretKey(STANDARD_SECRET);
const TIME_BOUND_MS = 25_000 * FAULTS_SCALE;
const CONCURRENCY = 4;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET, FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET, FLOWLENS_STANDARD_WEBHOOK_SECRETS: STANDARD_SECRET },
  });
});
afterAll(async () => {
  await server?.close();
});

type Target = { url: string; headers: (body: Buffer) => Record<string, string> };
type Failure = { receiver: string; mutation: string; status: number | string; headers: Record<string, string>; base64: string };

const nowSeconds = () => Math.floor(Date.now() / 1000);
const receivers = () => ({
  otlpTracesProtobuf: { url: `${server.otlpUrl}/v1/traces`, headers: () => ({ 'content-type': 'application/x-protobuf' }) },
  otlpLogsProtobuf: { url: `${server.otlpUrl}/v1/logs`, headers: () => ({ 'content-type': 'application/x-protobuf' }) },
  otlpTracesJson: { url: `${server.otlpUrl}/v1/traces`, headers: () => ({ 'content-type': 'application/json' }) },
  otlpLogsJson: { url: `${server.otlpUrl}/v1/logs`, headers: () => ({ 'content-type': 'application/json' }) },
  shopify: {
    url: `${server.baseUrl}/webhooks/shopify`,
    headers: (body: Buffer) => ({ 'content-type': 'application/json', 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Hmac-Sha256': shopifyHmac(body, SHOPIFY_SECRET), 'X-Shopify-Webhook-Id': randomUUID(), 'X-Shopify-Shop-Domain': 'fuzz.myshopify.com' }),
  },
  stripe: { url: `${server.baseUrl}/webhooks/stripe`, headers: (body: Buffer) => ({ 'content-type': 'application/json', 'Stripe-Signature': stripeSignatureHeader(body, [STRIPE_SECRET], nowSeconds()) }) },
  standard: {
    url: `${server.baseUrl}/webhooks/standard`,
    headers: (body: Buffer) => {
      const id = `msg_${randomUUID()}`;
      const t = nowSeconds();
      return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': standardSignatureHeader(body, [STANDARD_KEY], id, t) };
    },
  },
});

/** POST `count` fuzzed bodies (within the time bound), CONCURRENCY at a time; returns the answers that broke the rule. */
async function fuzz(receiver: string, target: Target, rng: Rng, valid: Buffer[], format: 'protobuf' | 'json', count: number): Promise<{ sent: number; statuses: Record<string, number>; failures: Failure[] }> {
  const failures: Failure[] = [];
  const statuses: Record<string, number> = {};
  const deadline = Date.now() + TIME_BOUND_MS;
  // Drawn up front, in order, so the same seed gives the same bodies whatever the answers' timing.
  // OTLP bodies are sometimes gzipped (as exporters send them); webhooks are signed over the bytes as sent, never gzipped.
  const gzipShare = receiver.startsWith('otlp') ? 0.15 : 0;
  const bodies: (Mutation & { gzip: boolean })[] = Array.from({ length: count }, () => ({ ...fuzzBody(rng, valid, format), gzip: rng.chance(gzipShare) }));
  let next = 0;
  const worker = async () => {
    while (next < bodies.length && Date.now() < deadline) {
      const { name, body, gzip } = bodies[next++]!;
      const payload = gzip ? gzipped(body) : body;
      const headers = { ...target.headers(payload), ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
      let status: number | string;
      try {
        const res = await fetch(target.url, { method: 'POST', headers, body: payload });
        await res.arrayBuffer();
        status = res.status;
      } catch (err) {
        status = `connection failed: ${(err as Error).message}`;
      }
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if (typeof status === 'string' || status >= 500 || status < 200) {
        failures.push({ receiver, mutation: gzip ? `${name}+gzip` : name, status, headers, base64: payload.toString('base64') });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { sent: Math.min(next, bodies.length), statuses, failures };
}

describe('fuzzed OTLP and webhook bodies', () => {
  it('are answered 2xx or 4xx, never 5xx or a dropped connection, and the server stays healthy', { timeout: 60_000 + 7 * TIME_BOUND_MS }, async () => {
    const { seed, rng } = faultRng('fuzz');
    const spans = await sdkSpans();
    const logs = await sdkLogRecords();
    const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array());
    const valid = {
      tracesProtobuf: [text(ProtobufTraceSerializer.serializeRequest(spans))],
      logsProtobuf: [text(ProtobufLogsSerializer.serializeRequest(logs))],
      tracesJson: [text(JsonTraceSerializer.serializeRequest(spans))],
      logsJson: [text(JsonLogsSerializer.serializeRequest(logs))],
      shopify: [fixtureBytes('shopifyOrder'), fixtureBytes('shopifyRefund'), fixtureBytes('shopifyFulfillment'), fixtureBytes('shopifyInventoryLevel')],
      stripe: ['stripeChargeSucceeded', 'stripeChargeRefunded', 'stripeRefundCreated', 'stripePayoutPaid', 'stripeCustomerCreated'].map(fixtureBytes),
      standard: [fixtureBytes('standardMessage')],
    };
    const targets = receivers();
    const plan: [string, Target, Buffer[], 'protobuf' | 'json', number][] = [
      ['otlpTracesProtobuf', targets.otlpTracesProtobuf, valid.tracesProtobuf, 'protobuf', scaled(150)],
      ['otlpLogsProtobuf', targets.otlpLogsProtobuf, valid.logsProtobuf, 'protobuf', scaled(150)],
      ['otlpTracesJson', targets.otlpTracesJson, valid.tracesJson, 'json', scaled(150)],
      ['otlpLogsJson', targets.otlpLogsJson, valid.logsJson, 'json', scaled(150)],
      ['shopify', targets.shopify, valid.shopify, 'json', scaled(200)],
      ['stripe', targets.stripe, valid.stripe, 'json', scaled(200)],
      ['standard', targets.standard, valid.standard, 'json', scaled(200)],
    ];
    const failures: Failure[] = [];
    for (const [receiver, target, bodies, format, count] of plan) {
      const started = Date.now();
      // Each receiver draws from its own stream: adding bodies to one does not reshuffle the others.
      const result = await fuzz(receiver, target, rng.fork(receiver), bodies, format, count);
      console.info(`[faults] fuzz ${receiver}: ${result.sent}/${count} bodies in ${Date.now() - started} ms, answers ${JSON.stringify(result.statuses)}`);
      failures.push(...result.failures);
    }
    for (const f of failures.slice(0, 10)) {
      console.error(`[faults] fuzz seed ${seed}: ${f.receiver} answered ${f.status} to ${f.mutation}; headers ${JSON.stringify(f.headers)}; body (base64) ${f.base64.length > 20_000 ? `${f.base64.slice(0, 20_000)}… (${f.base64.length} chars)` : f.base64}`);
    }
    expect(failures.map((f) => `${f.receiver} ${f.status} ${f.mutation}`)).toEqual([]);

    // Still alive, still taking valid input through every receiver that was fuzzed.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    for (const [receiver, target, bodies] of plan) {
      const res = await fetch(target.url, { method: 'POST', headers: target.headers(bodies[0]!), body: bodies[0]! });
      expect({ receiver, status: res.status }).toEqual({ receiver, status: 200 });
    }
  });
});
