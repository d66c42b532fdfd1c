import { formatCount, formatRate } from '../../format/number';
import { flowColor } from './flowColors';
import type { FlowTotal } from './shapeThroughput';

type Props = {
  flows: FlowTotal[];
  hidden: ReadonlySet<string>;
  onToggle: (flow: string) => void;
};

/** The chart's legend as real buttons: names each flow, its count and current rate, and hides or shows it. */
export function FlowLegend({ flows, hidden, onToggle }: Props) {
  if (flows.length === 0) return null;
  return (
    <ul className="flow-legend" aria-label="Flows in the chart">
      {flows.map(({ flow, total, recentRate }) => {
        const shown = !hidden.has(flow);
        return (
          <li key={flow} data-testid="flow-legend-item" data-flow={flow}>
            <button
              type="button"
              className="flow-legend-button"
              aria-pressed={shown}
              title={shown ? `Hide ${flow} from the chart` : `Show ${flow} in the chart`}
              onClick={() => onToggle(flow)}
            >
              <span className="swatch" style={{ background: shown ? flowColor(flow) : 'transparent', borderColor: flowColor(flow) }} aria-hidden="true" />
              <span className="flow-legend-name">{flow}</span>
              <span className="flow-legend-figures">
                {formatCount(total)} {total === 1 ? 'event' : 'events'} · {formatRate(recentRate)} now
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
