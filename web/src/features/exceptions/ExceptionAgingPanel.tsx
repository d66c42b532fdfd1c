import { Suspense, lazy, useMemo } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { OTHER_GROUP, shapeAging, type ShapedAging } from './shapeAging';
import { useExceptionAging } from './useExceptionQueries';
import './exceptions.css';

/** Fixed, so refreshes and state changes never move the page under the reader (room for six bars and "others"). */
const CHART_HEIGHT = 260;

// Recharts loads beside the data (started with this module, not when the answer arrives).
const chartModule = import('./AgingChart');
const AgingChart = lazy(() => chartModule.then((m) => ({ default: m.AgingChart })));

/**
 * Open exceptions per age bucket, one bar per owner, flow or system (the panel's `groupBy`), stacked from fresh
 * to stale. Clicking a segment filters the inbox to that group and bucket (`?owner=…&bucket=…`); the table below
 * the chart does the same with the keyboard.
 */
export function ExceptionAgingPanel({ panel, range }: PanelProps<'exceptionAging'>) {
  const { groupBy } = panel.options;
  const query = useExceptionAging(range);
  const shaped = useMemo(() => (query.data === undefined ? undefined : shapeAging(query.data, groupBy)), [query.data, groupBy]);
  const [group] = useUrlParam(groupBy);
  const [bucket] = useUrlParam('bucket');
  const select = (nextGroup: string, nextBucket: string) => setUrlParams({ [groupBy]: nextGroup, bucket: nextBucket, page: '' });

  return (
    <div data-testid={`aging-${groupBy}`}>
      <p className="panel-summary" data-testid="aging-summary">
        {shaped === undefined ? 'Open and acknowledged exceptions by age' : shaped.summary}
      </p>
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing the aging as of {formatClock(query.data.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      <div className="chart-frame" style={{ height: CHART_HEIGHT }} aria-busy={query.isPending}>
        {shaped !== undefined && shaped.total > 0 && (
          <Suspense fallback={<p className="chart-message">Loading chart…</p>}>
            <AgingChart shaped={shaped} groupBy={groupBy} selected={{ group, bucket }} onSelect={select} height={CHART_HEIGHT} />
          </Suspense>
        )}
        {query.isPending && (
          <p className="chart-message" role="status">
            Loading open exceptions by age…
          </p>
        )}
        {query.isError && query.data === undefined && (
          <LoadFailed what="the exception aging" error={query.error} onRetry={() => void query.refetch()} className="chart-message chart-message-error" />
        )}
        {shaped !== undefined && shaped.total === 0 && (
          <div className="chart-message" data-testid="aging-empty">
            <p>Nothing open. Failed steps, missing steps past a deadline and mismatched settlements show here by age.</p>
          </div>
        )}
      </div>
      <AgingLegend shaped={shaped} selected={bucket} onSelect={(b) => setUrlParams({ bucket: b === bucket ? '' : b, page: '' })} />
      {shaped !== undefined && shaped.total > 0 && <AgingTable shaped={shaped} groupBy={groupBy} onSelect={select} />}
    </div>
  );
}

/** The buckets as buttons: name, colour, count; pressing one filters the inbox by age alone. */
function AgingLegend({ shaped, selected, onSelect }: { shaped: ShapedAging | undefined; selected: string; onSelect: (bucket: string) => void }) {
  return (
    <ul className="exc-legend" aria-label="Age buckets">
      {(shaped?.buckets ?? []).map((b) => {
        const count = shaped?.rows.reduce((n, r) => n + (r.counts[b.id] ?? 0), 0) ?? 0;
        return (
          <li key={b.id}>
            <button type="button" className="exc-legend-button" aria-pressed={selected === b.id} onClick={() => onSelect(b.id)} title={selected === b.id ? 'Show every age' : `Show exceptions ${b.label} old`}>
              <span className="swatch" style={{ background: b.color }} aria-hidden="true" />
              {b.label} <span className="muted">{formatCount(count)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The chart's figures as a table (screen readers, keyboard): every count is a button that filters the inbox. */
function AgingTable({ shaped, groupBy, onSelect }: { shaped: ShapedAging; groupBy: string; onSelect: (group: string, bucket: string) => void }) {
  return (
    <details className="exc-aging-details">
      <summary>Figures as a table</summary>
      <div className="table-scroll">
        <table className="figures-table">
          <caption className="visually-hidden">Open exceptions per {groupBy} and age bucket</caption>
          <thead>
            <tr>
              <th scope="col">{groupBy === 'owner' ? 'Owner' : groupBy === 'flow' ? 'Flow' : 'System'}</th>
              {shaped.buckets.map((b) => (
                <th key={b.id} scope="col">
                  {b.label}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {shaped.rows.map((row) => (
              <tr key={row.group || 'others'}>
                <th scope="row">{row.label}</th>
                {shaped.buckets.map((b) => {
                  const n = row.counts[b.id] ?? 0;
                  return (
                    <td key={b.id}>
                      {n === 0 ? '' : row.group === OTHER_GROUP ? formatCount(n) : (
                        <button type="button" className="link-button" onClick={() => onSelect(row.group, b.id)} aria-label={`Show the ${formatCount(n)} of ${row.label} aged ${b.label}`}>
                          {formatCount(n)}
                        </button>
                      )}
                    </td>
                  );
                })}
                <td>
                  {row.group === OTHER_GROUP ? formatCount(row.total) : (
                    <button type="button" className="link-button" onClick={() => onSelect(row.group, '')} aria-label={`Show all ${formatCount(row.total)} of ${row.label}`}>
                      {formatCount(row.total)}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
