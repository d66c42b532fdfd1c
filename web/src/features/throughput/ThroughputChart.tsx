import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { formatRate } from '../../format/number';
import { formatClock } from '../../format/time';
import { flowColor } from './flowColors';
import type { ShapedThroughput, ThroughputRow } from './shapeThroughput';

type Props = {
  shaped: ShapedThroughput;
  /** Flows the viewer switched off in the legend. */
  hidden: ReadonlySet<string>;
  height: number;
};

/**
 * Stacked events per second, one area per flow. Receives already-shaped rows (STYLE.md); animation is off so a
 * push every second redraws in place instead of wobbling.
 */
export function ThroughputChart({ shaped, hidden, height }: Props) {
  const visible = shaped.flows.filter((f) => !hidden.has(f.flow));
  return (
    <AreaChart
      data={shaped.rows}
      responsive
      style={{ width: '100%', height }}
      accessibilityLayer
      tabIndex={0}
      title="Events per second by flow, stacked; use the arrow keys to read each second"
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        domain={shaped.domain}
        ticks={shaped.ticks}
        tickFormatter={(t: number) => formatClock(t)}
        allowDataOverflow
      />
      <YAxis
        width={56}
        domain={[0, shaped.rateTicks.at(-1) ?? 1]}
        ticks={shaped.rateTicks}
        tickFormatter={(v: number) => formatRate(v)}
      />
      <Tooltip
        isAnimationActive={false}
        content={(props: TooltipContentProps) => <RateTooltip {...props} rows={shaped.rows} flows={visible.map((f) => f.flow)} />}
      />
      {visible.map(({ flow }) => (
        <Area
          key={flow}
          name={flow}
          dataKey={(row: ThroughputRow) => row.rates[flow] ?? 0}
          stackId="flows"
          type="monotone"
          // Fill only: in a stack, a flow at zero would otherwise draw its line along the top of the one below it.
          stroke="none"
          fill={flowColor(flow)}
          fillOpacity={0.75}
          dot={false}
          isAnimationActive={false}
        />
      ))}
    </AreaChart>
  );
}

function RateTooltip({ active, label, rows, flows }: TooltipContentProps & { rows: ThroughputRow[]; flows: string[] }) {
  const row = active ? rows.find((r) => r.t === label) : undefined;
  if (row === undefined) return null;
  const total = flows.reduce((acc, flow) => acc + (row.rates[flow] ?? 0), 0);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatClock(row.t)}</div>
      <table>
        <tbody>
          {[...flows].reverse().map((flow) => (
            <tr key={flow}>
              <th scope="row">
                <span className="swatch" style={{ background: flowColor(flow) }} aria-hidden="true" />
                {flow}
              </th>
              <td>{formatRate(row.rates[flow] ?? 0)}</td>
            </tr>
          ))}
          {flows.length > 1 && (
            <tr className="chart-tooltip-total">
              <th scope="row">all flows</th>
              <td>{formatRate(total)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
