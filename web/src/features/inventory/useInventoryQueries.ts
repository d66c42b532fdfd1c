import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import { PANEL_REFRESH_MS } from '../../dashboards/panelProps';
import { resolveTimeRange, timeRangeKey, type TimeRange } from '../../url/timeRange';
import { useUrlParam } from '../../url/useUrlParam';
import { OVERVIEW_REFRESH_MS } from '../overview/useOverviewQuery';
import { fetchInventoryLag, fetchLagByLocation, fetchMovements, fetchStaleStock, fetchWorstLag, inventoryKeys } from './api';
import type { LagPercentile } from './shapeLagSeries';

/** A panel placed in a view without a time range still shows something sensible: the last hour. */
const FALLBACK_RANGE: TimeRange = { kind: 'relative', range: '1h' };

/** Relative ranges move with now, so they are asked again every few seconds; a fixed range never changes. */
function refreshFor(range: TimeRange) {
  return {
    refetchInterval: range.kind === 'relative' ? PANEL_REFRESH_MS : (false as const),
    placeholderData: keepPreviousData,
    retry: (failures: number, error: Error) => isRetryable(error) && failures < 3,
  };
}

/** The inventory filters kept in the URL: `?location=`, `?sku=` (both narrow the chart and the tables). */
export function useInventoryFilters(): { location: string; sku: string } {
  const [location] = useUrlParam('location');
  const [sku] = useUrlParam('sku');
  return { location, sku };
}

const filters = (location: string, sku: string) => ({ location: location || undefined, sku: sku || undefined });

export function useInventoryLag(given: TimeRange | undefined, location: string, sku: string) {
  const range = given ?? FALLBACK_RANGE;
  return useQuery({
    queryKey: inventoryKeys.lag(timeRangeKey(range), filters(location, sku)),
    queryFn: ({ signal }) => fetchInventoryLag({ ...resolveTimeRange(range, Date.now()), ...filters(location, sku) }, signal),
    ...refreshFor(range),
  });
}

export function useLagByLocation(given: TimeRange | undefined, percentile: LagPercentile, limit: number, sku: string) {
  const range = given ?? FALLBACK_RANGE;
  return useQuery({
    queryKey: inventoryKeys.byLocation(timeRangeKey(range), percentile, limit, sku),
    queryFn: ({ signal }) => fetchLagByLocation({ ...resolveTimeRange(range, Date.now()), percentile, limit, sku: sku || undefined }, signal),
    ...refreshFor(range),
  });
}

export function useWorstLag(given: TimeRange | undefined, q: { by: 'location' | 'sku'; target: string; limit: number; location: string; sku: string }) {
  const range = given ?? FALLBACK_RANGE;
  const f = filters(q.location, q.sku);
  return useQuery({
    queryKey: inventoryKeys.worst(timeRangeKey(range), q.by, q.target, q.limit, f),
    queryFn: ({ signal }) => fetchWorstLag({ ...resolveTimeRange(range, Date.now()), by: q.by, target: q.target, limit: q.limit, ...f }, signal),
    ...refreshFor(range),
  });
}

/** The movements behind one minute of the chart; asked again while the range is live (waiting ones arrive). */
export function useMovements(given: TimeRange | undefined, minute: number | undefined, target: string, location: string, sku: string, limit: number) {
  const range = given ?? FALLBACK_RANGE;
  const f = filters(location, sku);
  return useQuery({
    queryKey: inventoryKeys.movements(minute ?? 0, target, f),
    queryFn: ({ signal }) => fetchMovements({ from: minute ?? 0, to: (minute ?? 0) + 60_000, target, limit, ...f }, signal),
    enabled: minute !== undefined,
    ...refreshFor(range),
  });
}

/**
 * Stale stock is about now, whatever the range: asked every 2 s on the wall (a view without a time range), like
 * the wall's other panels, and at the panels' pace on a screen with one, narrowed by its location and SKU filters.
 */
export function useStaleStock(onWall: boolean, q: { thresholdSeconds: number; limit: number; channel?: string; location: string; sku: string }) {
  const f = filters(q.location, q.sku);
  return useQuery({
    queryKey: inventoryKeys.stale(q.thresholdSeconds, q.limit, q.channel ?? '', f),
    queryFn: ({ signal }) => fetchStaleStock({ threshold: q.thresholdSeconds, limit: q.limit, channel: q.channel, ...f }, signal),
    refetchInterval: onWall ? OVERVIEW_REFRESH_MS : PANEL_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: (failures: number, error: Error) => isRetryable(error) && failures < 3,
  });
}
