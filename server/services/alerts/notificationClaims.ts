import type { ClickHouseClient } from '@clickhouse/client';
import type { NotificationAction } from '../../domain/alertNotifications.js';
import { appendNotificationRows, claimantsOf, notificationRecord, type NotificationRow } from '../../store/queries/alerts.js';
import type { Schema } from '../../store/schema.js';
import type { Attempt } from './notifiers/sender.js';
import { keyedLock } from '../keyedLock.js';

/** One notification a server means to send. */
export type ClaimRequest = {
  notification_id: string;
  alert_id: string;
  episode: number;
  receiver: string;
  action: NotificationAction;
  /** The server asking. */
  instance: string;
  now: number;
};

/** Yours to send, numbering attempts from `attempt`; or not: delivered or refused already, or another claimant is sending it. */
export type Claim = { claimed: true; attempt: number } | { claimed: false; reason: 'delivered' | 'rejected' | 'in_flight' };

/**
 * The claim on a notification, taken durably before it is sent: whoever holds it sends, every other claimant —
 * another evaluation, another server on the same store — sees it and does not; the outcome is recorded after.
 * A round that failed may be claimed again (the next evaluation retries it); a claim whose holder vanished
 * without an outcome may be taken over once `leaseMs` has passed.
 *
 * Within a process, a lock around "read the record, append the claim" makes claiming exact. Between servers
 * sharing the store, the store decides: every claimant of one attempt inserts its claim with the same
 * deduplication token (`claim:<notification>:<attempt>`), so the store keeps exactly one of the inserts and drops
 * the rest as duplicates, atomically (the table's deduplication window; on a replicated table the block ids live
 * in Keeper). Each claimant then reads the claim that was kept: the server it names sends, the others stand down
 * as `in_flight`. (Reading "who stamped first" instead is not enough: an insert stamped earlier can become
 * visible after a later one was read.)
 */
export type NotificationClaims = {
  claim(request: ClaimRequest): Promise<Claim>;
  /** Record the attempts of a claimed round (each with its outcome). */
  settle(request: ClaimRequest, attempts: readonly Attempt[]): Promise<void>;
};

const FINAL = new Set(['delivered', 'rejected', 'failed']);

/** Per database, one chain of claims at a time in this process. */
const exclusively = keyedLock();

/** What the record says about claiming a notification now. */
export function decideClaim(record: readonly Pick<NotificationRow, 'status' | 'attempt' | 'at'>[], now: number, leaseMs: number): Claim {
  if (record.some((r) => r.status === 'delivered')) return { claimed: false, reason: 'delivered' };
  if (record.some((r) => r.status === 'rejected')) return { claimed: false, reason: 'rejected' };
  const next = Math.max(0, ...record.map((r) => r.attempt)) + 1;
  const claims = record.filter((r) => r.status === 'claimed');
  const last = claims.reduce<(typeof claims)[number] | undefined>((a, b) => (a === undefined || b.attempt >= a.attempt ? b : a), undefined);
  if (last === undefined) return { claimed: true, attempt: next };
  const finished = record.some((r) => FINAL.has(r.status) && r.attempt >= last.attempt);
  if (!finished && now - last.at < leaseMs) return { claimed: false, reason: 'in_flight' };
  return { claimed: true, attempt: next };
}

/**
 * Claims recorded in `alert_notifications`, serialised per database in this process and ordered by the store
 * between servers (see NotificationClaims). `lockKey` names the in-process lock (default: the database); a
 * test stands for two servers with two keys.
 */
export function storeNotificationClaims(client: ClickHouseClient, schema: Schema, options: { leaseMs?: number; lockKey?: string } = {}): NotificationClaims {
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const lockKey = options.lockKey ?? schema.database;
  const row = (r: ClaimRequest, fields: Pick<NotificationRow, 'status' | 'attempt' | 'response' | 'at'>): NotificationRow => ({
    notification_id: r.notification_id,
    alert_id: r.alert_id,
    episode: r.episode,
    receiver: r.receiver,
    action: r.action,
    instance: r.instance,
    ...fields,
  });
  return {
    claim: (r) =>
      exclusively(lockKey, async () => {
        const decision = decideClaim(await notificationRecord(client, schema, r.alert_id, r.notification_id), r.now, leaseMs);
        if (!decision.claimed) return decision;
        // Another server may claim the same attempt at this moment: the store keeps one of the claims.
        await appendNotificationRows(client, schema, [row(r, { status: 'claimed', attempt: decision.attempt, response: '', at: r.now })], `claim:${r.notification_id}:${decision.attempt}`);
        const [first] = await claimantsOf(client, schema, r.alert_id, r.notification_id, decision.attempt);
        return first === r.instance ? decision : { claimed: false, reason: 'in_flight' };
      }),
    settle: (r, attempts) => appendNotificationRows(client, schema, attempts.map((a) => row(r, { status: a.outcome, attempt: a.attempt, response: a.response, at: a.at }))),
  };
}
