import { Suspense, lazy, useMemo, useState } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatDuration } from '../../format/duration';
import { formatCount, formatRate } from '../../format/number';
import { formatClock } from '../../format/time';
import { useLiveStatus } from '../../live/liveStatus';
import { LoadFailed } from '../../ui/LoadFailed';
import { FlowLegend } from './FlowLegend';
import { RECENT_SECONDS, shapeThroughput } from './shapeThroughput';
import { LIVE_WINDOW_SECONDS, useThroughputQuery } from './useThroughputQuery';

/** Fixed, so live updates and state changes never move the page under the reader. */
const CHART_HEIGHT = 280;

// Recharts is about half of the app's JavaScript: fetching it beside the first paint (started right away, not when
// data arrives) lets the header and the wall's other panels render without waiting for it.
const chartModule = import('./ThroughputChart');
const ThroughputChart = lazy(() => chartModule.then((m) => ({ default: m.ThroughputChart })));

/** Events per second by flow over the panel's window; pushed live over socket.io for the server's live window. */
export function ThroughputPanel({ panel }: PanelProps<'throughput'>) {
  const { windowSeconds } = panel.options;
  const live = useLiveStatus() === 'live' && windowSeconds === LIVE_WINDOW_SECONDS;
  const query = useThroughputQuery(windowSeconds, { live });
  const shaped = useMemo(() => (query.data === undefined ? undefined : shapeThroughput(query.data)), [query.data]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const windowLabel = formatDuration(windowSeconds * 1000);

  const toggle = (flow: string) =>
    setHidden((current) => {
      const next = new Set(current);
      if (!next.delete(flow)) next.add(flow);
      return next;
    });

  return (
    <>
      <p className="panel-summary throughput-summary">
        <span>Events per second by event time, last {windowLabel}</span>
        {shaped !== undefined && shaped.total > 0 && (
          <>
            <span aria-hidden="true"> · </span>
            <span data-testid="throughput-total">
              {formatCount(shaped.total)} {shaped.total === 1 ? 'event' : 'events'} in window
            </span>
            <span aria-hidden="true"> · </span>
            <span>peak {formatRate(shaped.peakRate)}</span>
            <span aria-hidden="true"> · </span>
            <span title={`Average over the last ${RECENT_SECONDS} seconds`}>
              now {formatRate(shaped.flows.reduce((acc, f) => acc + f.recentRate, 0))}
            </span>
          </>
        )}
      </p>

      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing data up to {formatClock(query.data.to)}; the last refresh failed: {query.error.message}
        </p>
      )}

      <div className="chart-frame" style={{ height: CHART_HEIGHT }} aria-busy={query.isPending}>
        {shaped !== undefined && (
          <Suspense fallback={shaped.total > 0 && <p className="chart-message">Loading chart…</p>}>
            <ThroughputChart shaped={shaped} hidden={hidden} height={CHART_HEIGHT} />
          </Suspense>
        )}
        {query.isPending && (
          <p className="chart-message" role="status">
            {query.failureCount > 0 ? `Still trying to load events per second: ${query.failureReason?.message ?? 'no answer yet'}` : 'Loading events per second…'}
          </p>
        )}
        {query.isError && query.data === undefined && (
          <LoadFailed what="events per second" error={query.error} onRetry={() => void query.refetch()} className="chart-message chart-message-error" />
        )}
        {shaped !== undefined && shaped.total === 0 && (
          <div className="chart-message" data-testid="throughput-empty">
            <p>
              No events in the last {windowLabel}. Send events to <code>POST /v1/events</code> (see README) or run{' '}
              <code>npm start</code> for demo traffic.
            </p>
          </div>
        )}
      </div>

      <div className="legend-slot">
        <FlowLegend flows={shaped?.flows ?? []} hidden={hidden} onToggle={toggle} />
      </div>
    </>
  );
}
