import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { DotItemDotProps, TooltipContentProps } from 'recharts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatLagTick, formatTimeTick } from './lagScale';
import { PERCENTILE_STYLE } from './percentileStyle';
import type { LagPercentile, LagPoint, LagTargetView } from './shapeLagSeries';

type Props = {
  view: LagTargetView;
  domain: [number, number];
  xTicks: number[];
  xStepMs: number;
  percentiles: LagPercentile[];
  height: number;
  /** The minute whose movements are listed below, when it is this target's. */
  selected: number | undefined;
  onSelect: (minute: number) => void;
};

/**
 * Lag percentiles of one target per minute of source time. Animation is off so a refresh redraws in place;
 * a click on a minute with movements selects it (the buttons beside the chart do the same from the keyboard).
 */
export function LagChart({ view, domain, xTicks, xStepMs, percentiles, height, selected, onSelect }: Props) {
  const points = view.points;
  return (
    <LineChart
      data={points}
      responsive
      style={{ width: '100%', height, cursor: 'pointer' }}
      accessibilityLayer
      tabIndex={0}
      title={`${view.label}: lag ${percentiles.join(', ')} per minute; use the arrow keys to read each minute`}
      margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
      onClick={(state) => {
        const point = state.activeIndex === undefined ? undefined : points[Number(state.activeIndex)];
        if (point !== undefined && point.count > 0) onSelect(point.t);
      }}
    >
      <CartesianGrid vertical={false} />
      <XAxis dataKey="t" type="number" domain={domain} ticks={xTicks} tickFormatter={(t: number) => formatTimeTick(t, xStepMs)} allowDataOverflow />
      <YAxis width={64} domain={[0, view.yTicks.at(-1) ?? 1]} ticks={view.yTicks} tickFormatter={formatLagTick} allowDataOverflow />
      <Tooltip isAnimationActive={false} content={(props: TooltipContentProps) => <MinuteTooltip {...props} points={points} percentiles={percentiles} />} />
      {selected !== undefined && selected >= domain[0] && selected <= domain[1] && <ReferenceLine x={selected} stroke="var(--accent)" strokeWidth={2} ifOverflow="hidden" />}
      {percentiles.map((p) => (
        <Line
          key={p}
          name={p}
          dataKey={p}
          type="linear"
          stroke={PERCENTILE_STYLE[p].color}
          strokeWidth={PERCENTILE_STYLE[p].width}
          strokeDasharray={PERCENTILE_STYLE[p].dash}
          // A minute with lag between two without shows as a dot; a line needs two points.
          dot={(d: DotItemDotProps) =>
            points[d.index]?.isolated && d.cx !== undefined && d.cy !== undefined ? <circle key={d.index} cx={d.cx} cy={d.cy} r={2.5} fill={PERCENTILE_STYLE[p].color} /> : null
          }
          activeDot={{ r: 4 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}

function MinuteTooltip({ active, label, points, percentiles }: TooltipContentProps & { points: LagPoint[]; percentiles: LagPercentile[] }) {
  const point = active ? points.find((p) => p.t === label) : undefined;
  if (point === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatTimeTick(point.t, 60_000)}</div>
      {point.count === 0 ? (
        <p className="lag-tooltip-note">No movements</p>
      ) : (
        <table>
          <tbody>
            <tr>
              <th scope="row">movements</th>
              <td>{formatCount(point.count)}</td>
            </tr>
            {point.pending > 0 && (
              <tr>
                <th scope="row">still waiting</th>
                <td>{formatCount(point.pending)}</td>
              </tr>
            )}
            {percentiles.map((p) => {
              const value = point[p];
              return (
                <tr key={p}>
                  <th scope="row">
                    <span className="swatch" style={{ background: PERCENTILE_STYLE[p].color }} aria-hidden="true" />
                    {p}
                  </th>
                  <td>{value === null ? '–' : formatDuration(value)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {point.count > 0 && <p className="lag-tooltip-note">Click to list these movements</p>}
    </div>
  );
}
