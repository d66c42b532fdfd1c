import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Sessions ended by signing out, so a copied cookie stops working everywhere, not only in the browser that signed
 * out. A session is named by its user and the instant it was issued; a row is kept until a day after the session
 * would have expired anyway (TTL), so the table stays as small as the sessions ended in the last 12 hours.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'session_revocations',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('sessionRevocations')} (
      session_key String,
      expires_at DateTime64(3, 'UTC'),
      revoked_at DateTime64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree
    ORDER BY session_key
    TTL toDateTime(expires_at) + INTERVAL 1 DAY`,
  ],
};
