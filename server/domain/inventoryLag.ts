import type { InventoryLagByLocation, InventoryLagNow, InventoryLagResponse, InventoryMovements, LagStats, LocationTargetLag, StaleStock } from '../contracts/inventoryApi.js';

/** A row of lag figures for one milestone target (`erp` or a channel), as the store returns it. */
export type TargetStats = LagStats & { target: string };

const ZERO: LagStats = { count: 0, pending: 0, p50: 0, p95: 0, p99: 0, max: 0 };

/** The milestones a movement must reach, in the order people read them: the ERP first, then each channel. */
export function lagTargets(channels: readonly string[]): { target: string; kind: 'erp_posted' | 'published' }[] {
  return [{ target: 'erp', kind: 'erp_posted' }, ...channels.map((target) => ({ target, kind: 'published' as const }))];
}

const stats = (r: LagStats): LagStats => ({ count: r.count, pending: r.pending, p50: r.p50, p95: r.p95, p99: r.p99, max: r.max });

/** Summary and per-minute series per target; a target with no movement in range reads as zero, never missing. */
export function shapeInventoryLag(
  range: { from: number; to: number; location?: string; sku?: string },
  channels: readonly string[],
  summary: readonly TargetStats[],
  series: readonly (TargetStats & { t: number })[],
): InventoryLagResponse {
  return {
    from: range.from,
    to: range.to,
    bucket_seconds: 60,
    location: range.location ?? null,
    sku: range.sku ?? null,
    targets: lagTargets(channels).map(({ target, kind }) => {
      const found = summary.find((s) => s.target === target);
      return {
        target,
        kind,
        summary: found ? stats(found) : ZERO,
        series: series
          .filter((s) => s.target === target)
          .sort((a, b) => a.t - b.t)
          .map((s) => ({ t: s.t, ...stats(s) })),
      };
    }),
  };
}

export function shapeLagNow(at: number, windowMs: number, channels: readonly string[], rows: readonly (TargetStats & { oldestPendingMs: number })[]): InventoryLagNow {
  return {
    at,
    window_seconds: windowMs / 1000,
    targets: lagTargets(channels).map(({ target, kind }) => {
      const found = rows.find((r) => r.target === target);
      return { target, kind, ...(found ? stats(found) : ZERO), oldest_pending_ms: found?.oldestPendingMs ?? 0 };
    }),
  };
}

/**
 * Oversell risk of a stale SKU-location: the units its sell-through would sell while the channel still shows
 * the old stock — units sold per hour over the lookback × hours stale so far.
 */
export function oversellRisk(unitsSold: number, lookbackMs: number, staleMs: number): { perHour: number; units: number } {
  const perHour = lookbackMs > 0 ? (unitsSold * 3_600_000) / lookbackMs : 0;
  return { perHour: round(perHour), units: round((perHour * staleMs) / 3_600_000) };
}

export function shapeStaleStock(
  at: number,
  thresholdMs: number,
  lookbackMs: number,
  rows: readonly { sku: string; location_id: string; channel: string; latestSourceMs: number; staleMs: number; unitsSold: number }[],
): StaleStock {
  return {
    at,
    threshold_ms: thresholdMs,
    lookback_ms: lookbackMs,
    rows: rows
      .map((r) => {
        const risk = oversellRisk(r.unitsSold, lookbackMs, r.staleMs);
        return { sku: r.sku, location_id: r.location_id, channel: r.channel, latest_movement_at: r.latestSourceMs, stale_ms: r.staleMs, units_sold_per_hour: risk.perHour, oversell_risk_units: risk.units };
      })
      .sort((a, b) => b.oversell_risk_units - a.oversell_risk_units || b.stale_ms - a.stale_ms || a.sku.localeCompare(b.sku) || a.location_id.localeCompare(b.location_id) || a.channel.localeCompare(b.channel)),
  };
}

/** A location's figures to one target, as the store returns them (`worstMs`: the location's rank figure). */
export type LocationLag = TargetStats & { location: string; oldestPendingMs: number; worstMs: number };

/**
 * The heatmap's answer: one row per location in the store's order (worst first), each with a cell per target
 * in the order people read them (ERP, then each channel); a target without movements there reads as zero.
 */
export function shapeLagByLocation(
  q: { from: number; to: number; at: number; percentile: 'p50' | 'p95' | 'p99'; sku?: string },
  channels: readonly string[],
  rows: readonly LocationLag[],
  locationsTotal: number,
): InventoryLagByLocation {
  const targets = lagTargets(channels);
  const byLocation = new Map<string, LocationLag[]>();
  for (const r of rows) byLocation.set(r.location, [...(byLocation.get(r.location) ?? []), r]);
  return {
    from: q.from,
    to: q.to,
    at: q.at,
    percentile: q.percentile,
    sku: q.sku ?? null,
    locations_total: locationsTotal,
    targets,
    rows: [...byLocation].map(([location, cells]) => ({
      location,
      worst_ms: cells[0]?.worstMs ?? 0,
      targets: targets.map(({ target }): LocationTargetLag => {
        const found = cells.find((c) => c.target === target);
        return { target, ...(found ? stats(found) : ZERO), oldest_pending_ms: found?.oldestPendingMs ?? 0 };
      }),
    })),
  };
}

/** A movement behind a point of the lag chart, as the store returns it (`doneMs` 0: not at the target yet). */
export type MovementFacts = { correlationId: string; sourceStep: string; sourceMs: number; locationId: string; sku: string; quantity: number | null; doneMs: number; lagMs: number };

export function shapeMovements(
  q: { from: number; to: number; at: number; target: string; location?: string; sku?: string },
  found: { rows: readonly MovementFacts[]; count: number; pending: number },
): InventoryMovements {
  return {
    from: q.from,
    to: q.to,
    at: q.at,
    target: q.target,
    location: q.location ?? null,
    sku: q.sku ?? null,
    count: found.count,
    pending: found.pending,
    movements: found.rows.map((r) => ({
      correlation_id: r.correlationId,
      source_step: r.sourceStep,
      source_at: r.sourceMs,
      location_id: r.locationId,
      sku: r.sku,
      quantity: r.quantity,
      reached_at: r.doneMs > 0 ? r.doneMs : null,
      lag_ms: r.lagMs,
    })),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
