import { getJson } from '../../api/client';
import {
  inventoryLagByLocationSchema,
  inventoryLagResponseSchema,
  inventoryMovementsSchema,
  staleStockSchema,
  worstLagSchema,
  type InventoryLagByLocation,
  type InventoryLagResponse,
  type InventoryMovements,
  type StaleStock,
  type WorstLag,
} from '../../api/contracts';
import type { LagPercentile } from './shapeLagSeries';

/**
 * The inventory screen's fetchers (`/api/v1/inventory/…`) and their TanStack Query keys. Keys hold the range by
 * name (`1h`) or bounds, never the resolved times, so a relative range's refetches share one cache entry.
 */

type Range = { from: number; to: number };
type Filters = { location?: string; sku?: string };

export const inventoryKeys = {
  lag: (range: string, f: Filters) => ['inventory', 'lag', range, f.location ?? '', f.sku ?? ''] as const,
  byLocation: (range: string, percentile: LagPercentile, limit: number, sku: string) => ['inventory', 'by-location', range, percentile, limit, sku] as const,
  worst: (range: string, by: 'location' | 'sku', target: string, limit: number, f: Filters) => ['inventory', 'worst', range, by, target, limit, f.location ?? '', f.sku ?? ''] as const,
  movements: (minute: number, target: string, f: Filters) => ['inventory', 'movements', minute, target, f.location ?? '', f.sku ?? ''] as const,
  stale: (thresholdSeconds: number, limit: number, channel: string, f: Filters) => ['inventory', 'stale', thresholdSeconds, limit, channel, f.location ?? '', f.sku ?? ''] as const,
};

/** `?name=value&…` without the empty ones. */
function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  return search.toString();
}

export function fetchInventoryLag(q: Range & Filters, signal?: AbortSignal): Promise<InventoryLagResponse> {
  return getJson(`/api/v1/inventory/lag?${query(q)}`, inventoryLagResponseSchema, signal);
}

export function fetchLagByLocation(q: Range & { percentile: LagPercentile; limit: number; sku?: string }, signal?: AbortSignal): Promise<InventoryLagByLocation> {
  return getJson(`/api/v1/inventory/lag/by-location?${query(q)}`, inventoryLagByLocationSchema, signal);
}

export function fetchWorstLag(q: Range & Filters & { by: 'location' | 'sku'; target: string; limit: number }, signal?: AbortSignal): Promise<WorstLag> {
  return getJson(`/api/v1/inventory/lag/worst?${query(q)}`, worstLagSchema, signal);
}

export function fetchMovements(q: Range & Filters & { target: string; limit: number }, signal?: AbortSignal): Promise<InventoryMovements> {
  return getJson(`/api/v1/inventory/movements?${query(q)}`, inventoryMovementsSchema, signal);
}

export function fetchStaleStock(q: Filters & { threshold: number; limit: number; channel?: string }, signal?: AbortSignal): Promise<StaleStock> {
  return getJson(`/api/v1/inventory/stale?${query(q)}`, staleStockSchema, signal);
}
