import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import { overviewQueryKey } from '../../api/queryKeys';
import { PANEL_REFRESH_MS } from '../../dashboards/panelProps';
import { timeRangeKey, type TimeRange } from '../../url/timeRange';
import {
  EXCEPTIONS_KEY,
  exceptionAgingKey,
  exceptionDetailKey,
  exceptionLineageKey,
  exceptionListKey,
  fetchExceptionAging,
  fetchExceptionDetail,
  fetchExceptionLineage,
  fetchExceptionList,
  postExceptionAction,
  type WorkflowRequest,
} from './api';
import { detailLookbackSeconds, listSearchParams, rangeQuery, type ListRequest } from './inboxQuery';

const retry = (failures: number, error: Error) => isRetryable(error) && failures < 3;

/** A relative range (or none: open exceptions as of now) moves with the clock, so it is asked again; a fixed one is not. */
function refreshFor(range: TimeRange | undefined): number | false {
  return range?.kind === 'absolute' ? false : PANEL_REFRESH_MS;
}

/** One page of the inbox; the previous page stays on screen while the next loads, so nothing jumps. */
export function useExceptionList(request: ListRequest) {
  // The query string depends on the range's kind and bounds, never on the clock: a stable key.
  const search = listSearchParams(request, 0).toString();
  return useQuery({
    queryKey: exceptionListKey(search),
    queryFn: ({ signal }) => fetchExceptionList(listSearchParams(request, Date.now()), signal),
    refetchInterval: refreshFor(request.range),
    placeholderData: keepPreviousData,
    retry,
  });
}

export function useExceptionAging(range: TimeRange | undefined) {
  return useQuery({
    queryKey: exceptionAgingKey(range === undefined ? 'default' : timeRangeKey(range)),
    queryFn: ({ signal }) => fetchExceptionAging(rangeQuery(range, Date.now()), signal),
    refetchInterval: refreshFor(range),
    placeholderData: keepPreviousData,
    retry,
  });
}

/** The open exception (`?exception=`), idle when none is open. */
export function useExceptionDetail(id: string, range: TimeRange | undefined) {
  return useQuery({
    queryKey: exceptionDetailKey(id),
    queryFn: ({ signal }) => fetchExceptionDetail(id, detailLookbackSeconds(range, Date.now()), signal),
    enabled: id !== '',
    refetchInterval: refreshFor(range),
    retry,
  });
}

export function useExceptionLineage(correlationId: string | undefined) {
  return useQuery({
    queryKey: exceptionLineageKey(correlationId ?? ''),
    queryFn: ({ signal }) => fetchExceptionLineage(correlationId!, signal),
    enabled: correlationId !== undefined,
    staleTime: 10_000,
    retry: (failures: number, error: Error) => isRetryable(error) && failures < 2,
  });
}

export type ActionVariables = { ids: readonly string[]; request: WorkflowRequest };

/**
 * Assign, acknowledge, comment, resolve or reopen — one exception or several. It settles once the list, the aging
 * and the open exception have been read again, so the row shows its new state as soon as the button is free.
 */
export function useExceptionAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, request }: ActionVariables) => postExceptionAction(ids, request),
    onSuccess: async () => {
      void client.invalidateQueries({ queryKey: overviewQueryKey() });
      await client.invalidateQueries({ queryKey: EXCEPTIONS_KEY });
    },
  });
}
