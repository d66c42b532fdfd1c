import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * When each notification row reached the store, stamped by the store itself (not by a server whose clock may
 * disagree). Claims are decided by the store's deduplication (notificationClaims.ts); this orders the claims of
 * one attempt if ever two were kept (inserts in different monthly partitions), so every reader picks the same.
 * Rows stored before this column read the default.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'notification_claim_order',
  statements: (s) => [sql`ALTER TABLE ${s.table('alertNotifications')} ADD COLUMN IF NOT EXISTS stored_at DateTime64(9, 'UTC') DEFAULT now64(9)`],
};
