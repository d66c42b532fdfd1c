import { useMemo } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatDuration } from '../../format/duration';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams } from '../../url/useUrlParam';
import { targetLabel } from '../overview/shapeOverview';
import { shapeStaleStock } from './shapeStaleStock';
import { useInventoryFilters, useStaleStock } from './useInventoryQueries';
import './inventory.css';

/**
 * SKU-locations a channel still shows stale (their latest movement not there after the threshold), with the
 * units sold there per hour and the units likely oversold meanwhile, riskiest first. About now, whatever the
 * range: on the wall (a view without a range) it refreshes every 2 s like the wall's other panels and shows every
 * location; on the inventory screen it follows the screen's location and SKU filters.
 */
export function StaleStockPanel({ panel, range }: PanelProps<'staleStock'>) {
  const { thresholdSeconds, limit, channel } = panel.options;
  const onWall = range === undefined;
  const urlFilters = useInventoryFilters();
  const { location, sku } = onWall ? { location: '', sku: '' } : urlFilters;
  const query = useStaleStock(onWall, { thresholdSeconds, limit, channel, location, sku });
  const view = useMemo(() => (query.data === undefined ? undefined : shapeStaleStock(query.data)), [query.data]);
  const threshold = formatDuration(thresholdSeconds * 1000);
  const where = channel === undefined ? 'a channel' : targetLabel(channel);

  return (
    <>
      <p className="panel-summary">
        Now: SKU-locations{narrowedTo(location, sku)} whose latest stock movement is still not on {where} after {threshold}, riskiest first. Oversell risk is the units sold
        there per hour × hours stale.
      </p>
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing stale stock as of {formatClock(query.data.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      <div className="stale-body" aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message" role="status">
            Loading stale stock…
          </p>
        )}
        {query.isError && query.data === undefined && <LoadFailed what="stale stock" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />}
        {view !== undefined && view.rows.length === 0 && (
          <p className="state-message" data-testid="stale-empty">
            Nothing stale{narrowedTo(location, sku)}: every stock movement of the last {view.lookback} reached {channel === undefined ? 'every channel' : where} within {threshold}, or
            is younger than that. A SKU-location shows here, with the units it may oversell, when {where} still shows its old stock after {threshold}.
          </p>
        )}
        {view !== undefined && view.rows.length > 0 && (
          <div className="table-scroll">
            <table className="figures-table stale-table" data-testid="stale-stock">
              <caption className="visually-hidden">Stale SKU-locations per channel, riskiest first</caption>
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Location</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Stale for</th>
                  <th scope="col">Sold</th>
                  <th scope="col">Oversell risk</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((r) => (
                  <tr key={r.key} className={`stale-row tone-${r.tone}`} data-testid="stale-row">
                    <th scope="row">
                      <a
                        href={`?${new URLSearchParams({ view: 'inventory', location: r.location, sku: r.sku })}`}
                        title={`Lag of ${r.sku} at ${r.location} on the inventory screen`}
                        onClick={(e) => {
                          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                          e.preventDefault();
                          setUrlParams({ view: 'inventory', location: r.location, sku: r.sku, minute: '', target: '' }, ['range', 'from', 'to']);
                        }}
                      >
                        {r.sku}
                      </a>
                    </th>
                    <td>{r.location}</td>
                    <td>{r.channelLabel}</td>
                    <td>{formatDuration(r.staleMs)}</td>
                    <td>{r.soldPerHour}</td>
                    <td className="stale-risk">{r.risk}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}

/** " at store-014 of SKU-123" when the screen is filtered, else nothing. */
function narrowedTo(location: string, sku: string): string {
  return `${location === '' ? '' : ` at ${location}`}${sku === '' ? '' : ` of ${sku}`}`;
}
