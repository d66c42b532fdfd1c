import { Router, type Request, type Response } from 'express';
import { AppError } from '../../server/errors.js';
import type { DecodedRecord, EventIngestor } from '../pipeline/eventIngestor.js';
import { readRawBody } from '../../server/http/readBody.js';
import { mapShopifyWebhook } from './shopifyMapping.js';
import {
  SHOPIFY_HMAC_HEADER,
  STANDARD_HEADERS,
  STRIPE_SIGNATURE_HEADER,
  standardSecretKey,
  verifyShopify,
  verifyStandard,
  verifyStripe,
  type Verification,
} from './signatures.js';
import { decodeStandardMessage } from './standardMapping.js';
import { mapStripeEvent } from './stripeMapping.js';
import { parseJsonExactIds, type MapResult } from './webhookMapping.js';

/** A verified delivery that maps to no flow step: acknowledged with 200 (so the vendor stops retrying), not stored. */
export type IgnoredDelivery = { source: WebhookSource; type: string; deliveryId: string; reason: string };
export type WebhookSource = 'shopify_webhook' | 'stripe_webhook' | 'standard_webhook';

export type WebhookOptions = {
  shopifySecrets: string[];
  stripeSecrets: string[];
  /** `whsec_<base64>` secrets; an invalid one throws here, at start. */
  standardSecrets: string[];
  maxBodyBytes: number;
  /** Largest allowed |now − signed timestamp| for Stripe and Standard Webhooks, in seconds (300 is usual). */
  toleranceSeconds: number;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
  /** Told of every ignored delivery, for a log line and a counter. */
  onIgnored?: (delivery: IgnoredDelivery) => void;
};

/**
 * Signed webhook receivers: `POST /webhooks/shopify`, `/webhooks/stripe` and `/webhooks/standard` (Standard
 * Webhooks carrying canonical events). Each verifies the signature over the raw body against every configured
 * secret, maps the message to canonical events and answers 200 `{accepted, duplicates, …}` only once they are
 * committed. 401 bad or missing signature (nothing stored), 400 missing header or unmappable payload, 413 too
 * large, 429/503 with Retry-After under pressure, 503 `not_configured` while a receiver has no secret.
 */
export function webhookRoutes(ingestor: EventIngestor, options: WebhookOptions): Router {
  const now = options.now ?? Date.now;
  const standardKeys = options.standardSecrets.map((secret, i) => {
    try {
      return standardSecretKey(secret);
    } catch (err) {
      throw new Error(`standard webhook secret #${i + 1} is invalid: ${(err as Error).message}`, { cause: err });
    }
  });
  const router = Router();

  router.post('/webhooks/shopify', async (req, res) => {
    requireConfigured(options.shopifySecrets, 'Shopify', 'FLOWLENS_SHOPIFY_WEBHOOK_SECRETS');
    requireSignatureHeader(req, SHOPIFY_HMAC_HEADER);
    const body = await readRawBody(req, options.maxBodyBytes);
    assertVerified(verifyShopify(body, req.get(SHOPIFY_HMAC_HEADER), options.shopifySecrets));
    const topic = requireHeader(req, 'X-Shopify-Topic');
    const webhookId = requireHeader(req, 'X-Shopify-Webhook-Id');
    const mapped = mapShopifyWebhook({ topic, webhookId, body: parseBody(body, true) });
    await answer(res, ingestor, options, 'shopify_webhook', webhookId, mapped);
  });

  router.post('/webhooks/stripe', async (req, res) => {
    requireConfigured(options.stripeSecrets, 'Stripe', 'FLOWLENS_STRIPE_WEBHOOK_SECRETS');
    requireSignatureHeader(req, STRIPE_SIGNATURE_HEADER);
    const body = await readRawBody(req, options.maxBodyBytes);
    assertVerified(verifyStripe(body, req.get(STRIPE_SIGNATURE_HEADER), options.stripeSecrets, now(), options.toleranceSeconds));
    const event = parseBody(body, false);
    const eventId = typeof (event as { id?: unknown }).id === 'string' ? (event as { id: string }).id : '(no id)';
    await answer(res, ingestor, options, 'stripe_webhook', eventId, mapStripeEvent(event));
  });

  router.post('/webhooks/standard', async (req, res) => {
    requireConfigured(options.standardSecrets, 'Standard', 'FLOWLENS_STANDARD_WEBHOOK_SECRETS');
    const id = requireHeader(req, STANDARD_HEADERS.id);
    const timestamp = requireHeader(req, STANDARD_HEADERS.timestamp);
    requireSignatureHeader(req, STANDARD_HEADERS.signature);
    const body = await readRawBody(req, options.maxBodyBytes);
    const headers = { id, timestamp, signature: req.get(STANDARD_HEADERS.signature) };
    assertVerified(verifyStandard(body, headers, standardKeys, now(), options.toleranceSeconds));
    const decoded = decodeStandardMessage(id, parseBody(body, false));
    if (!decoded.ok) throw new AppError(400, 'invalid_message', decoded.message);
    await ingestAndAnswer(res, ingestor, 'standard_webhook', decoded.records);
  });

  return router;
}

function requireConfigured(secrets: readonly string[], vendor: string, variable: string): void {
  if (secrets.length === 0) {
    throw new AppError(503, 'not_configured', `${vendor} webhooks are not configured: set ${variable} to the signing secret(s), comma-separated`);
  }
}

function requireHeader(req: Request, name: string): string {
  const value = req.get(name)?.trim();
  if (!value) throw new AppError(400, 'missing_header', `missing ${name} header`);
  return value;
}

/** Refuse an unsigned request before reading its body. */
function requireSignatureHeader(req: Request, name: string): void {
  if (!req.get(name)?.trim()) throw new AppError(401, 'missing_signature', `missing ${name} header: the request is not signed`);
}

function assertVerified(verification: Verification): void {
  if (!verification.ok) throw new AppError(401, verification.code, verification.message);
}

function parseBody(body: Buffer, exactIds: boolean): unknown {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new AppError(400, 'invalid_body', 'request body is empty: a webhook carries a JSON object');
  let value: unknown;
  try {
    value = exactIds ? parseJsonExactIds(text) : JSON.parse(text);
  } catch (err) {
    throw new AppError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError(400, 'invalid_body', 'request body must be a JSON object');
  }
  return value;
}

async function answer(res: Response, ingestor: EventIngestor, options: WebhookOptions, source: WebhookSource, deliveryId: string, mapped: MapResult): Promise<void> {
  if (mapped.kind === 'invalid') throw new AppError(400, 'unmappable_payload', mapped.message);
  if (mapped.kind === 'ignored') {
    options.onIgnored?.({ source, type: mapped.type, deliveryId, reason: mapped.reason });
    res.status(200).json({ accepted: 0, duplicates: 0, rejected: 0, errors: [], errors_truncated: false, ignored: mapped.reason });
    return;
  }
  await ingestAndAnswer(
    res,
    ingestor,
    source,
    mapped.events.map((value, index) => ({ index, value })),
  );
}

async function ingestAndAnswer(res: Response, ingestor: EventIngestor, source: WebhookSource, records: DecodedRecord[]): Promise<void> {
  const outcome = await ingestor.ingest(source, records);
  if (outcome.kind === 'unavailable') {
    throw new AppError(outcome.status, outcome.status === 429 ? 'overloaded' : 'unavailable', outcome.message, {
      headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
    });
  }
  if (outcome.kind === 'invalid') {
    const { rejected, errors } = outcome.response;
    throw new AppError(400, 'invalid_events', `the message maps to no valid canonical event: all ${rejected} were rejected; see details`, { details: errors });
  }
  res.status(200).json(outcome.response);
}
