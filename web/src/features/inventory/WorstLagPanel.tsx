import type { PanelProps } from '../../dashboards/panelProps';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams } from '../../url/useUrlParam';
import { targetLabel } from '../overview/shapeOverview';
import { FilterChips } from './FilterChips';
import { useInventoryFilters, useWorstLag } from './useInventoryQueries';
import { rangePhrase } from './shapeLagSeries';
import './inventory.css';

/**
 * Locations or SKUs ranked by p95 lag to one target (from the view file). The other filter narrows it — the
 * slowest SKUs at the location in `?location=`, the slowest locations for the SKU in `?sku=` — and each row
 * filters the screen to its location or SKU.
 */
export function WorstLagPanel({ panel, range }: PanelProps<'worstLag'>) {
  const { by, target, limit } = panel.options;
  const filters = useInventoryFilters();
  // Ranking locations within one location (or SKUs within one SKU) says nothing: that filter is left out.
  const location = by === 'sku' ? filters.location : '';
  const sku = by === 'location' ? filters.sku : '';
  const selected = by === 'location' ? filters.location : filters.sku;
  const query = useWorstLag(range, { by, target, limit, location, sku });
  const noun = by === 'location' ? 'location' : 'SKU';
  const rangeText = rangePhrase(range);
  const rows = query.data?.rows;

  return (
    <>
      <p className="panel-summary">
        p95 lag to {targetLabel(target)} of the movements of {rangeText}, per {noun}, slowest first. Pick one to filter the screen.
      </p>
      <FilterChips location={location} sku={sku} />
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing the ranking as of {formatClock(query.data.to)}; the last refresh failed: {query.error.message}
        </p>
      )}
      <div className={`worst-body${query.isPlaceholderData ? ' is-updating' : ''}`} aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message" role="status">
            Loading the slowest {noun}s…
          </p>
        )}
        {query.isError && query.data === undefined && <LoadFailed what={`the slowest ${noun}s`} error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />}
        {rows !== undefined && rows.length === 0 && (
          <p className="state-message" data-testid={`worst-${by}-empty`}>
            No stock movements {location !== '' && `at ${location} `}
            {sku !== '' && `of ${sku} `}in {rangeText}. Pick a longer time range{location !== '' || sku !== '' ? ' or remove the filter' : ''}.
          </p>
        )}
        {rows !== undefined && rows.length > 0 && (
          <div className="table-scroll">
            <table className="figures-table worst-table" data-testid={`worst-${by}`}>
              <caption className="visually-hidden">
                {noun}s ranked by p95 lag to {targetLabel(target)}, slowest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">{by === 'location' ? 'Location' : 'SKU'}</th>
                  <th scope="col">Movements</th>
                  <th scope="col">Still waiting</th>
                  <th scope="col">p95</th>
                  <th scope="col">Max</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const arrived = r.count - r.pending > 0;
                  const pressed = r.key === selected;
                  return (
                    <tr key={r.key} data-testid="worst-row">
                      <th scope="row">
                        <button
                          type="button"
                          className="link-button"
                          aria-pressed={pressed}
                          title={pressed ? `Show every ${noun} again` : `Filter the screen to ${r.key}`}
                          onClick={() => setUrlParams({ [by]: pressed ? '' : r.key })}
                        >
                          {r.key}
                        </button>
                      </th>
                      <td>{formatCount(r.count)}</td>
                      <td className={r.pending > 0 ? 'lag-waiting' : undefined}>{formatCount(r.pending)}</td>
                      <td>{arrived ? formatDuration(r.p95) : '–'}</td>
                      <td>{arrived ? formatDuration(r.max) : '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
