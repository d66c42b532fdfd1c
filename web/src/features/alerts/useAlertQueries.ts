import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import type { TimeRange } from '../../url/timeRange';
import { alertDetailKey, alertListKey, alertMutesKey, fetchAlertDetail, fetchAlertList, fetchMutes } from './api';
import { alertListParams, alertListSearchKey, type StateChoice } from './alertQuery';

const retry = (failures: number, error: Error) => isRetryable(error) && failures < 3;

/**
 * Alerts change at an evaluation (every 30 s by default) or when someone acts, and the server pushes `alerts`
 * then (web/src/live/): every alert answer is asked again at once. This slow poll only covers a missed push.
 */
export const ALERT_POLL_MS = 15_000;

/** A tab of alerts over the range; the previous answer stays on screen while the next loads, so nothing jumps. */
export function useAlertList(choice: StateChoice, range: TimeRange | undefined) {
  return useQuery({
    queryKey: alertListKey(alertListSearchKey(choice, range)),
    queryFn: ({ signal }) => fetchAlertList(alertListParams(choice, range, Date.now()), signal),
    refetchInterval: ALERT_POLL_MS,
    placeholderData: keepPreviousData,
    retry,
  });
}

/** The open alert (`?alert=`), idle when none is. */
export function useAlertDetail(id: string) {
  return useQuery({
    queryKey: alertDetailKey(id),
    queryFn: ({ signal }) => fetchAlertDetail(id, signal),
    enabled: id !== '',
    refetchInterval: ALERT_POLL_MS,
    retry,
  });
}

/**
 * The details of the alerts on screen, for their last notification per receiver (the list answer does not carry
 * them); shared with the pane, so opening an alert shows at once.
 */
export function useAlertDetails(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: alertDetailKey(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchAlertDetail(id, signal),
      refetchInterval: ALERT_POLL_MS,
      staleTime: 5_000,
      retry,
    })),
  });
}

export function useMutes() {
  return useQuery({ queryKey: alertMutesKey(), queryFn: ({ signal }) => fetchMutes(signal), refetchInterval: ALERT_POLL_MS, placeholderData: keepPreviousData, retry });
}
