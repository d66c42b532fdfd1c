import { useQuery } from '@tanstack/react-query';
import { isRetryable } from '../../api/client';
import { fetchAlertList, firingAlertsKey } from './api';

/** Banner poll: the `alerts` push refreshes it at once (web/src/live/); this covers a dropped socket. */
export const BANNER_POLL_MS = 30_000;

/** What is firing now, for the banner on every screen (open alerts are listed whatever the lookback). */
export function useFiringAlerts() {
  return useQuery({
    queryKey: firingAlertsKey(),
    queryFn: ({ signal }) => fetchAlertList(new URLSearchParams({ state: 'firing', lookback: '60', limit: '500' }), signal),
    refetchInterval: BANNER_POLL_MS,
    retry: (failures: number, error: Error) => isRetryable(error) && failures < 2,
  });
}
