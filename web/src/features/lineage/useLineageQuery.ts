import { useQuery } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import { PANEL_REFRESH_MS } from '../../dashboards/panelProps';
import { fetchLineage, lineageQueryKey } from './api';
import { lineageRefreshMs } from './shapeChain';

/** A chain with nothing left to come, or a heavy one, is asked again only this often (a later refund may join it). */
export const SETTLED_REFRESH_MS = 60_000;

/**
 * The lineage of one business key or correlation id; idle until there is a key. While a step is missing or in
 * progress it is asked again every few seconds, so a journal arriving, or an SLA passing, shows without a reload;
 * the answer on screen stays until the next one is in.
 */
export function useLineageQuery(key: string, depth: number) {
  return useQuery({
    queryKey: lineageQueryKey(key, depth),
    queryFn: ({ signal }) => fetchLineage(key, depth, signal),
    enabled: key !== '',
    staleTime: 5_000,
    // Following more or fewer linked keys of the same key keeps its chain on screen until the new one is in.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === key ? previous : undefined),
    refetchInterval: (query) => (query.state.data === undefined ? false : lineageRefreshMs(query.state.data, PANEL_REFRESH_MS, SETTLED_REFRESH_MS)),
    retry: (failures, error) => isRetryable(error) && failures < 2,
  });
}
