import { useQuery } from '@tanstack/react-query';
import { bootViews } from '../api/boot';
import { fetchDashboards, isRetryable } from '../api/client';

/**
 * The views from `dashboards/views/`, as served within the page (no request before the first screen can draw),
 * else fetched once; they only change when the server restarts.
 */
export function useDashboards() {
  return useQuery({
    queryKey: ['dashboards'],
    queryFn: ({ signal }) => fetchDashboards(signal),
    initialData: bootViews,
    staleTime: Infinity,
    retry: (failures, error) => isRetryable(error) && failures < 5,
  });
}
