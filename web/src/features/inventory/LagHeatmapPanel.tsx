import { useMemo } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { FilterChips } from './FilterChips';
import { HEAT_LEGEND } from './lagScale';
import { shapeHeatmap, type HeatCell, type HeatmapView } from './shapeHeatmap';
import { useInventoryFilters, useLagByLocation } from './useInventoryQueries';
import { rangePhrase } from './shapeLagSeries';
import './inventory.css';

/**
 * Location × target grid of one lag percentile over the range, worst locations first, narrowed by `?sku=`. Each
 * cell is a button carrying its value as text (colour only repeats it); picking one filters the chart to that
 * location and target (`?location=&target=`), picking it again removes the filter.
 */
export function LagHeatmapPanel({ panel, range }: PanelProps<'lagHeatmap'>) {
  const { percentile, limit } = panel.options;
  const { location, sku } = useInventoryFilters();
  const [target] = useUrlParam('target');
  const query = useLagByLocation(range, percentile, limit, sku);
  const view = useMemo(() => (query.data === undefined ? undefined : shapeHeatmap(query.data)), [query.data]);
  const rangeText = rangePhrase(range);

  return (
    <>
      <p className="panel-summary">
        {percentile} lag of the movements of {rangeText}, per location and target{view !== undefined && view.rows.length > 0 && `: ${view.coverage}, worst first`}. A movement still
        waiting colours its cell by its age so far. Pick a cell to filter the chart.
      </p>
      <FilterChips location="" sku={sku} />
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing the grid as of {formatClock(query.data.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      <div className={query.isPlaceholderData ? 'is-updating' : undefined} aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message heatmap-placeholder" role="status">
            Loading lag per location…
          </p>
        )}
        {query.isError && query.data === undefined && (
          <LoadFailed what="lag per location" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error heatmap-placeholder" />
        )}
        {view !== undefined && view.rows.length === 0 && (
          <p className="state-message heatmap-placeholder" data-testid="heatmap-empty">
            No stock movements {sku !== '' && `of ${sku} `}in {rangeText}, so no location to compare. Pick a longer time range{sku !== '' && ' or remove the SKU filter'}.
          </p>
        )}
        {view !== undefined && view.rows.length > 0 && <Heatmap view={view} percentile={percentile} selected={{ location, target }} />}
      </div>
    </>
  );
}

function Heatmap({ view, percentile, selected }: { view: HeatmapView; percentile: string; selected: { location: string; target: string } }) {
  const pick = (location: string, target: string) => {
    const again = selected.location === location && selected.target === target;
    setUrlParams(again ? { location: '', target: '' } : { location, target });
  };
  return (
    <>
      <div className="table-scroll">
        <table className="heatmap" data-testid="heatmap">
          <caption className="visually-hidden">
            {percentile} lag per location (rows, worst first) and target (columns); each cell filters the lag chart
          </caption>
          <thead>
            <tr>
              <th scope="col">Location</th>
              {view.columns.map((c) => (
                <th key={c.target} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((r) => (
              <tr key={r.location} className={r.location === selected.location ? 'heatmap-row-selected' : undefined} data-testid="heatmap-row" data-location={r.location}>
                <th scope="row">
                  <button
                    type="button"
                    className="link-button heatmap-location"
                    aria-pressed={r.location === selected.location}
                    onClick={() => setUrlParams({ location: r.location === selected.location ? '' : r.location })}
                    title={r.location === selected.location ? 'Show every location in the chart' : `Filter the chart to ${r.location}`}
                  >
                    {r.location}
                  </button>
                </th>
                {r.cells.map((c) => (
                  <td key={c.target}>
                    <HeatCellButton cell={c} pressed={r.location === selected.location && c.target === selected.target} onPick={() => pick(r.location, c.target)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="heat-legend" aria-label="Colour scale">
        {HEAT_LEGEND.map((l) => (
          <li key={l.level}>
            <span className={`heat-swatch heat-${l.level}`} aria-hidden="true" />
            {l.label}
          </li>
        ))}
        <li>
          <span className="heat-swatch heat-none" aria-hidden="true" />
          no movements
        </li>
      </ul>
    </>
  );
}

function HeatCellButton({ cell, pressed, onPick }: { cell: HeatCell; pressed: boolean; onPick: () => void }) {
  if (cell.level === null) {
    return (
      <span className="heat-cell heat-none">
        <span aria-hidden="true">{cell.text}</span>
        <span className="visually-hidden">no movements</span>
      </span>
    );
  }
  return (
    <button type="button" className={`heat-cell heat-${cell.level}`} aria-pressed={pressed} aria-label={cell.description} title={cell.description} onClick={onPick} data-testid="heat-cell" data-target={cell.target}>
      <span className="heat-value">{cell.text}</span>
      <span className="heat-detail">{cell.detail}</span>
    </button>
  );
}
