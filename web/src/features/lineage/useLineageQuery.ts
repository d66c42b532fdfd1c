import { useQuery } from '@tanstack/react-query';
import { fetchLineage, isRetryable } from '../../api/client';
import { lineageQueryKey } from '../../api/queryKeys';

/** The lineage of one business key or correlation id; idle until there is a key to look up. */
export function useLineageQuery(key: string) {
  return useQuery({
    queryKey: lineageQueryKey(key),
    queryFn: ({ signal }) => fetchLineage(key, signal),
    enabled: key !== '',
    staleTime: 5_000,
    retry: (failures, error) => isRetryable(error) && failures < 2,
  });
}
