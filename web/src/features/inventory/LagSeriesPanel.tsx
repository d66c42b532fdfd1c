import { Suspense, lazy, useMemo } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { FilterChips } from './FilterChips';
import { MovementDrillDown } from './MovementDrillDown';
import { formatTimeTick } from './lagScale';
import { parseMinute, rangePhrase, shapeLagSeries, type LagSeriesView, type LagTargetView } from './shapeLagSeries';
import { useInventoryFilters, useInventoryLag } from './useInventoryQueries';
import { PERCENTILE_STYLE } from './percentileStyle';
import './inventory.css';

/** Fixed, so refreshes and state changes never move the page under the reader. */
const CHART_HEIGHT = 190;
// Recharts is the heaviest part of the app: start fetching it with this panel, not when the data arrives.
const chartModule = import('./LagChart');
const LagChart = lazy(() => chartModule.then((m) => ({ default: m.LagChart })));

/**
 * Lag over time per target (ERP, then each channel) with its percentiles, per minute of the movements' source
 * time, narrowed by `?location=` / `?sku=`. A point (or one of the slowest minutes listed under each chart)
 * selects `?minute=&target=` and lists the movements behind it.
 */
export function LagSeriesPanel({ panel, range }: PanelProps<'lagSeries'>) {
  const { location, sku } = useInventoryFilters();
  const [minuteParam] = useUrlParam('minute');
  const [targetParam] = useUrlParam('target');
  const query = useInventoryLag(range, location, sku);
  const { percentiles } = panel.options;
  const view = useMemo(() => (query.data === undefined ? undefined : shapeLagSeries(query.data, percentiles)), [query.data, percentiles]);
  const minute = parseMinute(minuteParam);
  const known = view?.targets.map((t) => t.target);
  const target = known === undefined ? targetParam || 'erp' : known.includes(targetParam) ? targetParam : 'erp';
  const select = (t: number, to: string) => setUrlParams({ minute: String(t), target: to });
  const rangeText = rangePhrase(range);

  return (
    <>
      <p className="panel-summary">
        Movements of {rangeText} (sales, returns, goods receipts): how long each took to reach the ERP and each channel.
      </p>
      <FilterChips location={location} sku={sku} />
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing lag up to {formatClock(query.data.to)}; the last refresh failed: {query.error.message}
        </p>
      )}
      {/* A new filter keeps the last answer on screen, dimmed, until its own arrives: nothing jumps. */}
      <div className={`lag-series-body${query.isPlaceholderData ? ' is-updating' : ''}`} aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message lag-series-placeholder" role="status">
            {query.failureCount > 0 ? `Still trying to load the lag: ${query.failureReason?.message ?? 'no answer yet'}` : 'Loading the lag…'}
          </p>
        )}
        {query.isError && query.data === undefined && (
          <LoadFailed what="the lag" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error lag-series-placeholder" />
        )}
        {view !== undefined && view.movements === 0 && (
          <div className="state-message lag-series-placeholder" data-testid="lag-series-empty">
            <p>
              No stock movements {location !== '' && `at ${location} `}
              {sku !== '' && `of ${sku} `}in {rangeText}.
            </p>
            <p>
              {location !== '' || sku !== ''
                ? 'Remove a filter above, or pick a longer time range.'
                : 'Movements show here once POS sales, returns or goods receipts arrive (POS files, the event API or OTLP spans); pick a longer time range to look further back.'}
            </p>
          </div>
        )}
        {view !== undefined && view.movements > 0 && <LagSeries view={view} selected={minute === undefined ? undefined : { minute, target }} onSelect={select} />}
      </div>
      {minute !== undefined && (
        <MovementDrillDown
          range={range}
          minute={minute}
          target={target}
          targets={view?.targets.map((t) => ({ target: t.target, label: t.label })) ?? [{ target, label: target }]}
          location={location}
          sku={sku}
        />
      )}
    </>
  );
}

function LagSeries({ view, selected, onSelect }: { view: LagSeriesView; selected: { minute: number; target: string } | undefined; onSelect: (t: number, target: string) => void }) {
  return (
    <>
      <div className="table-scroll">
        <table className="figures-table lag-summary" data-testid="lag-summary">
          <caption className="visually-hidden">Lag per target over the range: movements, still waiting, and percentiles of those that arrived</caption>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Movements</th>
              <th scope="col">Still waiting</th>
              {view.percentiles.map((p) => (
                <th key={p} scope="col">
                  <span className="swatch" style={{ background: PERCENTILE_STYLE[p].color }} aria-hidden="true" />
                  {p}
                </th>
              ))}
              <th scope="col">Max</th>
            </tr>
          </thead>
          <tbody>
            {view.targets.map((t) => {
              const arrived = t.summary.count - t.summary.pending > 0;
              return (
                <tr key={t.target} data-testid={`lag-summary-${t.target}`}>
                  <th scope="row">{t.label}</th>
                  <td>{formatCount(t.summary.count)}</td>
                  <td className={t.summary.pending > 0 ? 'lag-waiting' : undefined}>{formatCount(t.summary.pending)}</td>
                  {view.percentiles.map((p) => (
                    <td key={p}>{arrived ? formatDuration(t.summary[p]) : '–'}</td>
                  ))}
                  <td>{arrived ? formatDuration(t.summary.max) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="lag-charts">
        {view.targets.map((t) => (
          <TargetChart key={t.target} view={view} target={t} selected={selected?.target === t.target ? selected.minute : undefined} onSelect={(minute) => onSelect(minute, t.target)} />
        ))}
      </div>
    </>
  );
}

function TargetChart({ view, target, selected, onSelect }: { view: LagSeriesView; target: LagTargetView; selected: number | undefined; onSelect: (minute: number) => void }) {
  const rankBy = view.percentiles.at(-1) ?? 'p95';
  return (
    <div className="lag-chart-card" data-testid={`lag-chart-${target.target}`}>
      <h3>{target.label}</h3>
      <div className="chart-frame" style={{ height: CHART_HEIGHT }}>
        <Suspense fallback={<p className="chart-message">Loading chart…</p>}>
          <LagChart view={target} domain={view.domain} xTicks={view.xTicks} xStepMs={view.xStepMs} percentiles={view.percentiles} height={CHART_HEIGHT} selected={selected} onSelect={onSelect} />
        </Suspense>
        {target.summary.count > 0 && target.summary.pending === target.summary.count && (
          <p className="chart-message" data-testid={`lag-none-arrived-${target.target}`}>
            None of the {formatCount(target.summary.count)} movements has reached {target.label} yet; pick a minute below to see how long they have waited.
          </p>
        )}
      </div>
      <div className="slow-minutes">
        <span className="slow-minutes-label" id={`slow-${target.target}`}>
          Slowest minutes ({rankBy})
        </span>
        {target.slowest.length === 0 ? (
          <span className="muted">none in range</span>
        ) : (
          <ul aria-labelledby={`slow-${target.target}`}>
            {target.slowest.map((m) => (
              <li key={m.t}>
                <button
                  type="button"
                  className="minute-button"
                  aria-pressed={selected === m.t}
                  onClick={() => onSelect(m.t)}
                  title={`List the ${formatCount(m.count)} movements of ${formatTimeTick(m.t, 60_000)} to ${target.label}${m.lagMs > 0 ? ` (${rankBy} ${formatDuration(m.lagMs)})` : ''}`}
                  data-testid="slow-minute"
                >
                  {formatTimeTick(m.t, 60_000)} · {m.lagMs > 0 ? formatDuration(m.lagMs) : `${formatCount(m.pending)} waiting`}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
