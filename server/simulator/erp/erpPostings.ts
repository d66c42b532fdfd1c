import { createHash } from 'node:crypto';
import type { ErpPosting } from '../model.js';

/** One idempotency key the ERP applied: which document it became, when, and a hash of what was posted. */
export type AppliedPosting = { key: string; posting_id: string; applied_at: number; hash: string };

/**
 * What the ledger did with a posting: applied it now, found the same posting already applied, or found the
 * key already used for a different posting (Stripe's semantics for a reused idempotency key).
 */
export type PostingOutcome =
  | { kind: 'applied'; record: AppliedPosting }
  | { kind: 'already_applied'; record: AppliedPosting }
  | { kind: 'key_reused'; record: AppliedPosting };

/** The ERP's record of applied idempotency keys. */
export type PostingLedger = {
  /** Check and record in one synchronous step, so concurrent requests with one key apply it once. */
  apply(key: string, hash: string, at: number): PostingOutcome;
  find(key: string): AppliedPosting | undefined;
  size(): number;
};

export function createPostingLedger(): PostingLedger {
  const byKey = new Map<string, AppliedPosting>();
  let sequence = 0;
  return {
    apply(key, hash, at) {
      const existing = byKey.get(key);
      if (existing) return { kind: existing.hash === hash ? 'already_applied' : 'key_reused', record: existing };
      const record = { key, posting_id: `ERP-${String(++sequence).padStart(8, '0')}`, applied_at: at, hash };
      byKey.set(key, record);
      return { kind: 'applied', record };
    },
    find: (key) => byKey.get(key),
    size: () => byKey.size,
  };
}

/** A posting's identity: the SHA-256 of its canonical JSON, so key order and whitespace do not matter. */
export function postingHash(posting: ErpPosting): string {
  return createHash('sha256').update(canonicalJson(posting)).digest('hex');
}

/** JSON with object keys sorted at every depth; array order is kept, since it is meaningful. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortKeys(object[key])]),
  );
}
