import { z } from 'zod';

/** Inventory lag answers (`/api/v1/inventory/…`): lag per milestone, staleness now, worst places, stale stock. */

/** Lag figures in milliseconds: how many movements, how many have not reached the milestone yet, percentiles of those that did. */
export const lagStatsSchema = z.object({ count: z.number(), pending: z.number(), p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() });
export type LagStats = z.infer<typeof lagStatsSchema>;

/**
 * `GET /api/v1/inventory/lag`: movements whose source happened in [from, to), per milestone (`erp`: posted in
 * the ERP; a channel: visible there), over the whole range and per minute of source time.
 */
export const inventoryLagResponseSchema = z.object({
  from: z.number(),
  to: z.number(),
  bucket_seconds: z.number(),
  location: z.string().nullable(),
  sku: z.string().nullable(),
  targets: z.array(
    z.object({
      target: z.string(),
      kind: z.enum(['erp_posted', 'published']),
      summary: lagStatsSchema,
      series: z.array(lagStatsSchema.extend({ t: z.number() })),
    }),
  ),
});
export type InventoryLagResponse = z.infer<typeof inventoryLagResponseSchema>;

/** `GET /api/v1/inventory/lag/now`: how stale each milestone is now; pending movements count at their age so far. */
export const inventoryLagNowSchema = z.object({
  at: z.number(),
  window_seconds: z.number(),
  targets: z.array(lagStatsSchema.extend({ target: z.string(), kind: z.enum(['erp_posted', 'published']), oldest_pending_ms: z.number() })),
});
export type InventoryLagNow = z.infer<typeof inventoryLagNowSchema>;

/** `GET /api/v1/inventory/lag/worst`: locations or SKUs ranked by p95 lag to one milestone, optionally at one location or for one SKU. */
export const worstLagSchema = z.object({
  from: z.number(),
  to: z.number(),
  by: z.enum(['location', 'sku']),
  target: z.string(),
  /** The filter applied: ranking SKUs at one location, or locations for one SKU (null: all). */
  location: z.string().nullable(),
  sku: z.string().nullable(),
  rows: z.array(z.object({ key: z.string(), count: z.number(), pending: z.number(), p95: z.number(), max: z.number() })),
});
export type WorstLag = z.infer<typeof worstLagSchema>;

/** `GET /api/v1/inventory/stale`: SKU-locations a channel still shows stale, with the units likely oversold meanwhile. */
export const staleStockSchema = z.object({
  at: z.number(),
  threshold_ms: z.number(),
  lookback_ms: z.number(),
  rows: z.array(
    z.object({
      sku: z.string(),
      location_id: z.string(),
      channel: z.string(),
      latest_movement_at: z.number(),
      stale_ms: z.number(),
      units_sold_per_hour: z.number(),
      oversell_risk_units: z.number(),
    }),
  ),
});
export type StaleStock = z.infer<typeof staleStockSchema>;

/** Lag figures of one location to one target, for the heatmap: `oldest_pending_ms` is the age of the oldest movement still waiting (0: none). */
export const locationTargetLagSchema = lagStatsSchema.extend({ target: z.string(), oldest_pending_ms: z.number() });
export type LocationTargetLag = z.infer<typeof locationTargetLagSchema>;

/**
 * `GET /api/v1/inventory/lag/by-location`: lag per location and target over the range, the worst locations first
 * (by the highest `percentile` on any target, a movement still waiting counting at its age so far).
 */
export const inventoryLagByLocationSchema = z.object({
  from: z.number(),
  to: z.number(),
  at: z.number(),
  percentile: z.enum(['p50', 'p95', 'p99']),
  sku: z.string().nullable(),
  /** How many locations had movements in range; `rows` holds the worst `limit` of them. */
  locations_total: z.number(),
  targets: z.array(z.object({ target: z.string(), kind: z.enum(['erp_posted', 'published']) })),
  rows: z.array(z.object({ location: z.string(), worst_ms: z.number(), targets: z.array(locationTargetLagSchema) })),
});
export type InventoryLagByLocation = z.infer<typeof inventoryLagByLocationSchema>;

/**
 * `GET /api/v1/inventory/movements`: the movements behind a point of the lag chart — those whose source happened
 * in [from, to) (a few minutes at most), slowest to `target` first; one still waiting counts at its age so far.
 */
export const inventoryMovementsSchema = z.object({
  from: z.number(),
  to: z.number(),
  at: z.number(),
  target: z.string(),
  location: z.string().nullable(),
  sku: z.string().nullable(),
  /** Every movement of the window (and filters), and how many of them have not reached the target. */
  count: z.number(),
  pending: z.number(),
  movements: z.array(
    z.object({
      correlation_id: z.string(),
      source_step: z.string(),
      source_at: z.number(),
      location_id: z.string(),
      sku: z.string(),
      quantity: z.number().nullable(),
      /** When it reached the target (epoch ms), or null while it has not. */
      reached_at: z.number().nullable(),
      /** Source to target, or for one still waiting its age at `at`. */
      lag_ms: z.number(),
    }),
  ),
});
export type InventoryMovements = z.infer<typeof inventoryMovementsSchema>;
