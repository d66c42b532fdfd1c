import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signature schemes, verified over the raw body bytes against every configured secret (several are valid
 * at once while a secret is rotated). Digests are compared in constant time, and every secret and candidate
 * signature is compared even after a match, so timing tells nothing about which one matched.
 *
 * - Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(secret, body)).
 * - Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256(secret, "<t>.<body>"); the secret
 *   (`whsec_…`) is used as its UTF-8 text. https://docs.stripe.com/webhooks#verify-manually
 * - Standard Webhooks: `webhook-signature: v1,<base64> [v1,<base64>…]`, HMAC-SHA256(key, "<id>.<t>.<body>") where
 *   the key is the base64 after `whsec_`. https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */

export type VerificationFailure = {
  ok: false;
  code: 'missing_signature' | 'invalid_signature' | 'signature_expired';
  message: string;
};
export type Verification = { ok: true } | VerificationFailure;

const OK: Verification = { ok: true };
const MAX_CANDIDATES = 16;

function hmac(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** True when any candidate equals any expected digest; compares all pairs of equal length. */
function anyMatch(expected: readonly Buffer[], candidates: readonly Buffer[]): boolean {
  let matched = false;
  for (const digest of expected) {
    for (const candidate of candidates) {
      if (candidate.length === digest.length) matched = timingSafeEqual(candidate, digest) || matched;
    }
  }
  return matched;
}

function fail(code: VerificationFailure['code'], message: string): VerificationFailure {
  return { ok: false, code, message };
}

function checkAge(timestamp: number, nowMs: number, toleranceSeconds: number, header: string): Verification {
  const skew = Math.abs(Math.floor(nowMs / 1000) - timestamp);
  if (skew > toleranceSeconds) {
    return fail('signature_expired', `${header} timestamp is ${skew} s away from now (tolerance ${toleranceSeconds} s): a stale or replayed delivery`);
  }
  return OK;
}

// ── Shopify ──────────────────────────────────────────────────────────────────────────────────────────────────

export const SHOPIFY_HMAC_HEADER = 'X-Shopify-Hmac-Sha256';

/** The `X-Shopify-Hmac-Sha256` value Shopify sends for this body. */
export function shopifyHmac(body: Buffer, secret: string): string {
  return hmac(secret, body).toString('base64');
}

export function verifyShopify(body: Buffer, header: string | undefined, secrets: readonly string[]): Verification {
  if (header === undefined || header.trim() === '') return fail('missing_signature', `missing ${SHOPIFY_HMAC_HEADER} header`);
  const value = header.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(value)) return fail('invalid_signature', `${SHOPIFY_HMAC_HEADER} is not a base64 HMAC-SHA256 digest`);
  const expected = secrets.map((secret) => hmac(secret, body));
  if (!anyMatch(expected, [Buffer.from(value, 'base64')])) {
    return fail('invalid_signature', `${SHOPIFY_HMAC_HEADER} does not match the body for any configured secret`);
  }
  return OK;
}

// ── Stripe ───────────────────────────────────────────────────────────────────────────────────────────────────

export const STRIPE_SIGNATURE_HEADER = 'Stripe-Signature';

/** A `Stripe-Signature` value for this body, as Stripe builds it (one v1 per secret). */
export function stripeSignatureHeader(body: Buffer, secrets: readonly string[], timestampSeconds: number): string {
  const signatures = secrets.map((secret) => `v1=${hmac(secret, `${timestampSeconds}.`, body).toString('hex')}`);
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

export function verifyStripe(
  body: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  nowMs: number,
  toleranceSeconds: number,
): Verification {
  if (header === undefined || header.trim() === '') return fail('missing_signature', `missing ${STRIPE_SIGNATURE_HEADER} header`);
  let timestamp: string | undefined;
  const candidates: Buffer[] = [];
  for (const element of header.split(',')) {
    const eq = element.indexOf('=');
    if (eq < 0) continue;
    const name = element.slice(0, eq).trim();
    const value = element.slice(eq + 1).trim();
    if (name === 't') timestamp = value;
    // Other schemes (v0: test mode's legacy scheme) are ignored, as Stripe's libraries do.
    else if (name === 'v1' && /^[0-9a-fA-F]{64}$/.test(value) && candidates.length < MAX_CANDIDATES) candidates.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
    return fail('invalid_signature', `${STRIPE_SIGNATURE_HEADER} is malformed: it needs t=<unix seconds>`);
  }
  if (candidates.length === 0) return fail('invalid_signature', `${STRIPE_SIGNATURE_HEADER} is malformed: it has no v1=<hex> signature`);
  const expected = secrets.map((secret) => hmac(secret, `${timestamp}.`, body));
  if (!anyMatch(expected, candidates)) {
    return fail('invalid_signature', `no v1 signature in ${STRIPE_SIGNATURE_HEADER} matches the body for any configured endpoint secret`);
  }
  return checkAge(Number(timestamp), nowMs, toleranceSeconds, STRIPE_SIGNATURE_HEADER);
}

// ── Standard Webhooks ────────────────────────────────────────────────────────────────────────────────────────

export const STANDARD_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/**
 * The HMAC key of a Standard Webhooks secret: the base64 after `whsec_` (the prefix is optional). Throws with the
 * reason for anything else, so a mistyped secret fails at start rather than rejecting every delivery.
 */
export function standardSecretKey(secret: string): Buffer {
  const encoded = secret.trim().replace(/^whsec_/, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('a Standard Webhooks secret is "whsec_" followed by base64 (e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('a Standard Webhooks secret must decode to at least 16 bytes (24–64 recommended)');
  return key;
}

export type StandardHeaders = { id: string; timestamp: string; signature: string | undefined };

/** A `webhook-signature` value for this message (one v1 entry per key). */
export function standardSignatureHeader(body: Buffer, keys: readonly Buffer[], id: string, timestampSeconds: number): string {
  return keys.map((key) => `v1,${hmac(key, `${id}.${timestampSeconds}.`, body).toString('base64')}`).join(' ');
}

export function verifyStandard(body: Buffer, headers: StandardHeaders, keys: readonly Buffer[], nowMs: number, toleranceSeconds: number): Verification {
  const header = headers.signature;
  if (header === undefined || header.trim() === '') return fail('missing_signature', `missing ${STANDARD_HEADERS.signature} header`);
  if (!/^\d{1,12}$/.test(headers.timestamp.trim())) {
    return fail('invalid_signature', `${STANDARD_HEADERS.timestamp} must be an integer number of seconds since the epoch`);
  }
  const candidates: Buffer[] = [];
  for (const entry of header.trim().split(/\s+/)) {
    const comma = entry.indexOf(',');
    // Only the symmetric scheme is supported; v1a (asymmetric) entries and other versions are skipped.
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const value = entry.slice(comma + 1);
    if (/^[A-Za-z0-9+/]{43}=$/.test(value) && candidates.length < MAX_CANDIDATES) candidates.push(Buffer.from(value, 'base64'));
  }
  if (candidates.length === 0) return fail('invalid_signature', `${STANDARD_HEADERS.signature} is malformed: it has no v1,<base64> signature`);
  const expected = keys.map((key) => hmac(key, `${headers.id}.${headers.timestamp.trim()}.`, body));
  if (!anyMatch(expected, candidates)) {
    return fail('invalid_signature', `no v1 signature in ${STANDARD_HEADERS.signature} matches the message for any configured secret`);
  }
  return checkAge(Number(headers.timestamp.trim()), nowMs, toleranceSeconds, STANDARD_HEADERS.timestamp);
}
