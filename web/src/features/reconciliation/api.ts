import { getJson } from '../../api/client';
import { reconciliationDetailSchema, reconciliationListSchema, type ReconciliationDetailAnswer, type ReconciliationListAnswer } from '../../api/contracts';
import { resolveTimeRange, timeRangeKey, type TimeRange } from '../../url/timeRange';

/**
 * The reconciliation screen's fetchers (`/api/v1/reconciliation…`) and their TanStack Query keys. Keys hold the
 * range by name (`7d`) or bounds, never the resolved times, so a relative range's refetches share one entry.
 */

export type ReconFilters = { status: string; reason: string; source: string; currency: string };
export type ListRequest = { range: TimeRange; filters: ReconFilters; limit: number; offset: number };

export const reconciliationKeys = {
  list: (r: ListRequest) => ['reconciliation', 'list', timeRangeKey(r.range), r.filters.status, r.filters.reason, r.filters.source, r.filters.currency, r.limit, r.offset] as const,
  settlement: (id: string) => ['reconciliation', 'settlement', id] as const,
};

/** The list's query string at `now`: newest settlements first, only the filters that are set. */
export function listSearch(r: ListRequest, now: number): URLSearchParams {
  const { from, to } = resolveTimeRange(r.range, now);
  const params = new URLSearchParams({ from: String(from), to: String(to), order: 'newest', limit: String(r.limit), offset: String(r.offset) });
  for (const [name, value] of Object.entries(r.filters)) if (value !== '') params.set(name, value);
  return params;
}

export function fetchReconciliationList(r: ListRequest, signal?: AbortSignal): Promise<ReconciliationListAnswer> {
  return getJson(`/api/v1/reconciliation?${listSearch(r, Date.now())}`, reconciliationListSchema, signal);
}

export function fetchSettlement(id: string, signal?: AbortSignal): Promise<ReconciliationDetailAnswer> {
  return getJson(`/api/v1/reconciliation/${encodeURIComponent(id)}`, reconciliationDetailSchema, signal);
}
