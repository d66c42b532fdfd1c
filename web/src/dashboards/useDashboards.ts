import { useQuery } from '@tanstack/react-query';
import { fetchDashboards, isRetryable } from '../api/client';

/** The views from `dashboards/views/`: fetched once; they only change when the server restarts. */
export function useDashboards() {
  return useQuery({
    queryKey: ['dashboards'],
    queryFn: ({ signal }) => fetchDashboards(signal),
    staleTime: Infinity,
    retry: (failures, error) => isRetryable(error) && failures < 5,
  });
}
