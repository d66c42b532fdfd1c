import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/** The lookup's name for a SKU at a location (written as a literal in the statements below): its value is `SKU@location`. */
export const SKU_LOCATION_KEY = 'sku_location';

/**
 * A SKU at a location as a key of the business key lookup: every event carrying both a `sku` and a `location_id`
 * is recorded under `SKU@location`, so the lineage search finds the sales, receipts and transfers that moved that
 * stock the way it finds an order id (one read of the lookup by its sorting key). A second view on the events
 * rather than a changed first one: nothing is dropped, and re-running is harmless (the lookup keeps min/max).
 * Events stored before this migration are recorded by the copy below, grouped per key and correlation.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'sku_location_key',
  statements: (s) => [
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('keyLookupSkuLocationMv')} TO ${s.table('keyLookup')} AS
    SELECT
      concat(sku, '@', location_id) AS key_value,
      'sku_location' AS key_name,
      correlation_id,
      flow,
      occurred_at AS first_at,
      occurred_at AS last_at
    FROM ${s.table('events')}
    WHERE sku != '' AND location_id != ''`,
    sql`INSERT INTO ${s.table('keyLookup')} (key_value, key_name, correlation_id, flow, first_at, last_at)
    SELECT concat(sku, '@', location_id) AS key_value, 'sku_location' AS key_name, correlation_id, flow, min(occurred_at), max(occurred_at)
    FROM ${s.table('events')}
    WHERE sku != '' AND location_id != ''
    GROUP BY key_value, correlation_id, flow`,
  ],
};
