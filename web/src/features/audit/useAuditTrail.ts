import { useInfiniteQuery } from '@tanstack/react-query';
import { auditKey, fetchAuditPage } from './api';
import { auditSearch, type AuditFilters } from './auditQuery';

/**
 * The trail for filters over a window fixed when it was asked (a relative range resolved once), a page at a time:
 * "Load older" appends the next page of the same window, so entries arriving meanwhile never shift the pages.
 * Asking again for a new window (Refresh) starts from its newest entry.
 */
export function useAuditTrail(filters: AuditFilters, window: { from: number; to: number }, pageSize: number) {
  const first = auditSearch(filters, window, { limit: pageSize, offset: 0 });
  first.delete('offset');
  return useInfiniteQuery({
    queryKey: auditKey(first.toString()),
    queryFn: ({ pageParam, signal }) => fetchAuditPage(auditSearch(filters, window, { limit: pageSize, offset: pageParam }), signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.has_more ? pages.reduce((n, p) => n + p.rows.length, 0) : undefined),
    staleTime: 30_000,
  });
}
