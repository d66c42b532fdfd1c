import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchOverview, isRetryable } from '../../api/client';
import { overviewQueryKey } from '../../api/queryKeys';

/** How often the wall asks for the overview: new data shows within this (issue: within 2 s). */
export const OVERVIEW_REFRESH_MS = 2_000;

/**
 * The peak-period wall's answer, refreshed every 2 s while the page is visible (and at once when it shows again);
 * the last one stays on screen while the next loads.
 */
export function useOverviewQuery() {
  return useQuery({
    queryKey: overviewQueryKey(),
    queryFn: ({ signal }) => fetchOverview(signal),
    refetchInterval: OVERVIEW_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: (failures, error) => isRetryable(error) && failures < 3,
  });
}
