import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import { PANEL_REFRESH_MS } from '../../dashboards/panelProps';
import type { TimeRange } from '../../url/timeRange';
import { fetchReconciliationList, fetchSettlement, reconciliationKeys, type ListRequest } from './api';

const retry = (failures: number, error: Error) => isRetryable(error) && failures < 3;

/** A relative range moves with the clock, so it is asked again; a fixed one is not. */
function refreshFor(range: TimeRange | undefined): number | false {
  return range?.kind === 'absolute' ? false : PANEL_REFRESH_MS;
}

/** A page of settlements with the range's totals; the previous answer stays on screen while the next loads. */
export function useReconciliationList(request: ListRequest) {
  return useQuery({
    queryKey: reconciliationKeys.list(request),
    queryFn: ({ signal }) => fetchReconciliationList(request, signal),
    refetchInterval: refreshFor(request.range),
    placeholderData: keepPreviousData,
    retry,
  });
}

/** The settlement drilled into (`?settlement=`), idle when none is; asked again while the range is live (the ERP may post it). */
export function useSettlement(id: string, range: TimeRange | undefined) {
  return useQuery({
    queryKey: reconciliationKeys.settlement(id),
    queryFn: ({ signal }) => fetchSettlement(id, signal),
    enabled: id !== '',
    refetchInterval: refreshFor(range),
    retry,
  });
}
