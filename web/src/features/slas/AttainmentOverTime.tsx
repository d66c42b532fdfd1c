import { Suspense, lazy, useMemo } from 'react';
import { formatDuration } from '../../format/duration';
import { LoadFailed } from '../../ui/LoadFailed';
import { shapeSlaSeries } from './shapeSlaSeries';
import { useSlaSeries } from './useSlaQueries';

/** Fixed, so the chart never moves the breaches below it. */
const CHART_HEIGHT = 200;
const SlaSeriesChart = lazy(() => import('./SlaSeriesChart').then((m) => ({ default: m.SlaSeriesChart })));

/** The policy's attainment per bucket of start time over its window, against its objective. */
export function AttainmentOverTime({ policy, group }: { policy: string; group: Readonly<Record<string, string>> }) {
  const query = useSlaSeries(policy, group);
  const shaped = useMemo(() => (query.data === undefined ? undefined : shapeSlaSeries(query.data)), [query.data]);
  return (
    <>
      <ul className="sla-chart-legend" aria-hidden="true">
        <li>
          <span className="sla-legend-line" />
          attainment of the instances started in each {shaped === undefined ? 'bucket' : formatDuration(shaped.bucketMs)}
        </li>
        <li>
          <span className="sla-legend-line sla-legend-objective" />
          objective{shaped === undefined ? '' : ` ${shaped.objective} %`}
        </li>
      </ul>
      <div className="chart-frame sla-chart" style={{ height: CHART_HEIGHT }} aria-busy={query.isPending || query.isPlaceholderData} data-testid="sla-series">
        {shaped !== undefined && shaped.decided > 0 && (
          <Suspense fallback={<p className="chart-message">Loading chart…</p>}>
            <SlaSeriesChart shaped={shaped} height={CHART_HEIGHT} />
          </Suspense>
        )}
        {query.isPending && (
          <p className="chart-message" role="status">
            Loading attainment over time…
          </p>
        )}
        {query.isError && query.data === undefined && (
          <LoadFailed what="attainment over time" error={query.error} onRetry={() => void query.refetch()} className="chart-message chart-message-error" />
        )}
        {shaped !== undefined && shaped.decided === 0 && (
          <p className="chart-message" data-testid="sla-series-empty">
            No instance finished or passed its deadline in the window yet: attainment shows once one has.
          </p>
        )}
      </div>
    </>
  );
}
