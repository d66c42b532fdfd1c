import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import { PANEL_REFRESH_MS } from '../../dashboards/panelProps';
import { fetchSlaBreaches, fetchSlaSeries, fetchSlaStatus, slaKeys, type BreachRequest } from './api';

/**
 * SLA figures are evaluated as of now (over each policy's window), so every query asks again every
 * PANEL_REFRESH_MS; the figures on screen stay while the next ones load.
 */
const retry = (failures: number, error: Error) => isRetryable(error) && failures < 3;

/** Every policy, shared by the policies table and the drill-down (one request for both). */
export function useSlaStatus() {
  return useQuery({ queryKey: slaKeys.status(), queryFn: ({ signal }) => fetchSlaStatus(signal), refetchInterval: PANEL_REFRESH_MS, placeholderData: keepPreviousData, retry });
}

/** A page of one policy's breaches; the previous page stays while the next loads, but never another policy's. */
export function useSlaBreaches(request: BreachRequest) {
  return useQuery({
    queryKey: slaKeys.breaches(request),
    queryFn: ({ signal }) => fetchSlaBreaches(request, signal),
    refetchInterval: PANEL_REFRESH_MS,
    placeholderData: (previous) => (previous?.policy === request.policy ? previous : undefined),
    retry,
  });
}

export function useSlaSeries(policy: string, group: Readonly<Record<string, string>>) {
  return useQuery({
    queryKey: slaKeys.series(policy, group),
    queryFn: ({ signal }) => fetchSlaSeries(policy, group, signal),
    refetchInterval: PANEL_REFRESH_MS,
    placeholderData: (previous) => (previous?.policy === policy ? previous : undefined),
    retry,
  });
}
