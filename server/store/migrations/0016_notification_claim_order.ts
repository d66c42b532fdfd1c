import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * The order in which notification claims reached the store, stamped by the store itself: two Flowlens servers
 * sharing one ClickHouse server may claim the same notification at once, and their clocks may disagree, so the
 * claim that was stored first — by the store's clock — is the one that sends (notificationClaims.ts). Rows stored
 * before this column read the default, which no claim contest ever compares against (a contest is between the
 * claims of one attempt, made moments apart).
 */
export const migration0016: Migration = {
  version: 16,
  name: 'notification_claim_order',
  statements: (s) => [sql`ALTER TABLE ${s.table('alertNotifications')} ADD COLUMN IF NOT EXISTS stored_at DateTime64(9, 'UTC') DEFAULT now64(9)`],
};
