import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * `flow_state` (0003) answered nothing once `flow_milestones` (0005) carried every step's times per hour: its
 * view only cost insert time. The view goes first, so no insert writes to a table being dropped.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'drop_flow_state',
  statements: (s) => [sql`DROP VIEW IF EXISTS ${s.table('flowStateMv')}`, sql`DROP TABLE IF EXISTS ${s.table('flowState')}`],
};
