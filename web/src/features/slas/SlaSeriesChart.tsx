import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import type { SeriesRow, ShapedSeries } from './shapeSlaSeries';

/**
 * Attainment per bucket of start time, the objective as a dashed line. Receives an already-shaped series
 * (STYLE.md); no animation, so the 5-second refresh redraws in place.
 */
export function SlaSeriesChart({ shaped, height }: { shaped: ShapedSeries; height: number }) {
  return (
    <LineChart
      data={shaped.rows}
      responsive
      style={{ width: '100%', height }}
      accessibilityLayer
      tabIndex={0}
      title={`Attainment per ${formatDuration(shaped.bucketMs)} of start time against the ${shaped.objective} % objective; use the arrow keys to read each bucket`}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid vertical={false} />
      <XAxis dataKey="t" type="number" domain={shaped.xDomain} ticks={shaped.xTicks} tickFormatter={(t: number) => formatClock(t).slice(0, 5)} allowDataOverflow />
      <YAxis width={52} domain={shaped.yDomain} ticks={shaped.yTicks} tickFormatter={(v: number) => `${v} %`} allowDataOverflow />
      <ReferenceLine y={shaped.objective} className="sla-objective-line" strokeDasharray="5 4" ifOverflow="extendDomain" />
      <Tooltip isAnimationActive={false} content={(props: TooltipContentProps) => <BucketTooltip {...props} rows={shaped.rows} bucketMs={shaped.bucketMs} />} />
      <Line dataKey="attainment" name="attainment" type="linear" className="sla-attainment-line" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
    </LineChart>
  );
}

function BucketTooltip({ active, label, rows, bucketMs }: TooltipContentProps & { rows: SeriesRow[]; bucketMs: number }) {
  const row = active ? rows.find((r) => r.t === label) : undefined;
  if (row === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">
        Started {formatClock(row.t)} – {formatClock(row.t + bucketMs)}
      </div>
      <table>
        <tbody>
          <tr>
            <th scope="row">attainment</th>
            <td>{row.attainment === null ? '–' : `${Number(row.attainment.toFixed(2))} %`}</td>
          </tr>
          <tr>
            <th scope="row">broke the deadline</th>
            <td>{formatCount(row.broken)}</td>
          </tr>
          <tr>
            <th scope="row">decided</th>
            <td>{formatCount(row.decided)}</td>
          </tr>
          {row.inProgress > 0 && (
            <tr>
              <th scope="row">in progress</th>
              <td>{formatCount(row.inProgress)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
