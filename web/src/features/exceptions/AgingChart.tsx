import { Bar, BarChart, CartesianGrid, Rectangle, Tooltip, XAxis, YAxis } from 'recharts';
import type { BarShapeProps, TooltipContentProps, YAxisTickContentProps } from 'recharts';
import { formatCount } from '../../format/number';
import { countTicks, OTHER_GROUP, type AgingRow, type ShapedAging } from './shapeAging';

type Props = {
  shaped: ShapedAging;
  groupBy: string;
  /** The group and bucket the inbox is filtered to ('' for none): the rest is drawn faint. */
  selected: { group: string; bucket: string };
  onSelect: (group: string, bucket: string) => void;
  height: number;
};

/**
 * One horizontal bar per group, stacked from the freshest bucket to the stalest. Receives shaped rows
 * (STYLE.md); animation is off so a refresh redraws in place. A segment is a button for the mouse; the table
 * beside the chart offers the same for the keyboard.
 */
export function AgingChart({ shaped, groupBy, selected, onSelect, height }: Props) {
  const ticks = countTicks(shaped.maxTotal);
  const labels = new Map(shaped.rows.map((r) => [r.group, r.label]));
  const isSelected = (row: AgingRow, bucket: string) =>
    (selected.group === '' || selected.group === row.group) && (selected.bucket === '' || selected.bucket === bucket);

  return (
    <BarChart
      data={shaped.rows}
      layout="vertical"
      responsive
      style={{ width: '100%', height }}
      accessibilityLayer
      tabIndex={0}
      title={`Open exceptions per ${groupBy}, stacked by age; use the arrow keys to read each ${groupBy}`}
      margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
      barCategoryGap="22%"
    >
      <CartesianGrid horizontal={false} />
      <XAxis type="number" domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} />
      <YAxis
        type="category"
        dataKey="group"
        width={150}
        interval={0}
        tick={(props: YAxisTickContentProps) => <GroupTick {...props} label={labels.get(String(props.payload.value)) ?? ''} onSelect={(group) => onSelect(group, '')} />}
      />
      <Tooltip isAnimationActive={false} cursor={{ fillOpacity: 0.15 }} content={(props: TooltipContentProps) => <AgingTooltip {...props} shaped={shaped} />} />
      {shaped.buckets.map((b) => (
        <Bar
          key={b.id}
          name={b.label}
          dataKey={(row: AgingRow) => row.counts[b.id] ?? 0}
          stackId="age"
          fill={b.color}
          isAnimationActive={false}
          maxBarSize={26}
          shape={(props: BarShapeProps) => {
            const row = props.payload as AgingRow;
            const clickable = row.group !== OTHER_GROUP;
            return (
              <Rectangle
                {...props}
                className={`exc-aging-segment exc-aging-${b.id}`}
                fillOpacity={isSelected(row, b.id) ? 1 : 0.3}
                cursor={clickable ? 'pointer' : 'default'}
                onClick={clickable ? () => onSelect(row.group, b.id) : undefined}
              />
            );
          }}
        />
      ))}
    </BarChart>
  );
}

/** A group's name at the start of its bar; clicking it filters the inbox to the whole group. */
function GroupTick({ x, y, payload, label, onSelect }: YAxisTickContentProps & { label: string; onSelect: (group: string) => void }) {
  const group = String(payload.value);
  const clickable = group !== OTHER_GROUP;
  const text = label.length > 20 ? `${label.slice(0, 19)}…` : label;
  return (
    <text x={Number(x) - 6} y={Number(y)} dy="0.35em" textAnchor="end" className={clickable ? 'exc-aging-tick exc-aging-tick-link' : 'exc-aging-tick'} onClick={clickable ? () => onSelect(group) : undefined}>
      <title>{clickable ? `Show every open exception of ${label}` : label}</title>
      {text}
    </text>
  );
}

function AgingTooltip({ active, payload, shaped }: TooltipContentProps & { shaped: ShapedAging }) {
  const row = active ? (payload?.[0]?.payload as AgingRow | undefined) : undefined;
  if (row === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{row.label}</div>
      <table>
        <tbody>
          {shaped.buckets.map((b) => (
            <tr key={b.id}>
              <th scope="row">
                <span className="swatch" style={{ background: b.color }} aria-hidden="true" />
                {b.label}
              </th>
              <td>{formatCount(row.counts[b.id] ?? 0)}</td>
            </tr>
          ))}
          <tr className="chart-tooltip-total">
            <th scope="row">open</th>
            <td>{formatCount(row.total)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
