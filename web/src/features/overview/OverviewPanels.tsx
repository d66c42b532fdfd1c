import { useMemo, type ReactNode } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { shapeOverview, type LagTile, type OverviewView } from './shapeOverview';
import { useOverviewQuery } from './useOverviewQuery';

/**
 * The peak-period wall's panels: inventory lag per channel now, open exceptions by age and owner, SLA policies
 * breaching, and how long each source has been silent. One overview call (refreshed every 2 s) feeds them all;
 * sizes are fixed so nothing jumps.
 */
export function LagNowPanel(_: PanelProps<'lagNow'>) {
  return <WithOverview>{(view) => <LagBody view={view} />}</WithOverview>;
}

export function ExceptionsByAgePanel(_: PanelProps<'exceptionsByAge'>) {
  return <WithOverview>{(view) => <ExceptionsBody view={view} />}</WithOverview>;
}

export function SlasBreachingPanel(_: PanelProps<'slasBreaching'>) {
  return <WithOverview>{(view) => <SlaBody view={view} />}</WithOverview>;
}

export function SourceFreshnessPanel(_: PanelProps<'sourceFreshness'>) {
  return <WithOverview>{(view) => <FreshnessBody view={view} />}</WithOverview>;
}

function WithOverview({ children }: { children: (view: OverviewView) => ReactNode }) {
  const query = useOverviewQuery();
  const view = useMemo(() => (query.data === undefined ? undefined : shapeOverview(query.data)), [query.data]);
  if (view === undefined) {
    return (
      <div className="overview-loading" aria-busy={query.isPending}>
        {query.isError ? (
          <LoadFailed what="the overview" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
        ) : (
          <p className="state-message" role="status">
            Loading the overview…
          </p>
        )}
      </div>
    );
  }
  return (
    <>
      {query.isError && (
        <p className="inline-notice" role="status">
          Showing the overview as of {formatClock(view.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      {children(view)}
    </>
  );
}

function LagBody({ view }: { view: OverviewView }) {
  return (
    <>
      <p className="panel-summary">p95 lag of the movements of the last 15 min; a movement still waiting counts at its age so far.</p>
      {view.lag.every((t) => t.movements === 0) ? (
        <p className="state-message" data-testid="lag-empty">
          No stock movements in the last 15 minutes. Sales, returns and goods receipts appear here once POS files, the
          event API or OTLP spans carry them.
        </p>
      ) : (
        <ul className="tile-row" aria-label="Lag per target">
          {view.lag.map((t) => (
            <LagTileView key={t.target} tile={t} />
          ))}
        </ul>
      )}
    </>
  );
}

function LagTileView({ tile }: { tile: LagTile }) {
  return (
    <li className={`tile tone-${tile.tone}`} data-testid={`lag-${tile.target}`}>
      <span className="tile-label">{tile.label}</span>
      <span className="tile-figure">{tile.p95Ms === null ? '–' : formatDuration(tile.p95Ms)}</span>
      <span className="tile-detail">
        {tile.pending > 0 ? `${formatCount(tile.pending)} waiting, oldest ${formatDuration(tile.oldestPendingMs)}` : `${formatCount(tile.movements)} movements, none waiting`}
      </span>
    </li>
  );
}

function ExceptionsBody({ view }: { view: OverviewView }) {
  const { exceptions } = view;
  return (
    <>
      <p className="panel-summary" data-testid="exceptions-total">
        {formatCount(exceptions.total)} open
      </p>
      <ul className="tile-row" aria-label="Open exceptions per age bucket">
        {exceptions.buckets.map((b, i) => (
          <li key={b.id} className={`tile ${b.count === 0 ? 'tone-none' : i >= 2 ? 'tone-bad' : i === 1 ? 'tone-warn' : 'tone-ok'}`} data-testid={`bucket-${b.id}`}>
            <span className="tile-label">{b.label}</span>
            <span className="tile-figure">{formatCount(b.count)}</span>
          </li>
        ))}
      </ul>
      {exceptions.owners.length === 0 ? (
        <p className="state-message">Nothing open. Failed or dead-lettered steps with no later success show up here, per owning team.</p>
      ) : (
        <div className="table-scroll">
          <table className="figures-table">
            <caption className="visually-hidden">Open exceptions per owner and age bucket</caption>
            <thead>
              <tr>
                <th scope="col">Owner</th>
                {exceptions.buckets.map((b) => (
                  <th key={b.id} scope="col" title={b.label}>
                    {b.short}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {exceptions.owners.map((o) => (
                <tr key={o.owner}>
                  <th scope="row">{o.owner}</th>
                  {o.buckets.map((n, i) => (
                    <td key={exceptions.buckets[i]!.id}>{n === 0 ? '' : formatCount(n)}</td>
                  ))}
                  <td>{formatCount(o.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function SlaBody({ view }: { view: OverviewView }) {
  const { slas } = view;
  return (
    <>
      <p className="panel-summary" data-testid="slas-summary">
        {slas.breaching.length} of {slas.policies} policies
      </p>
      {slas.breaching.length === 0 ? (
        <p className="state-message">Every policy is within its objective, with nothing open past its deadline.</p>
      ) : (
        <ul className="breach-list">
          {slas.breaching.map((b) => (
            <li key={b.id} className={`breach tone-${b.tone}`} data-testid={`breach-${b.id}`}>
              <a className="breach-name" href={`?view=slas&policy=${encodeURIComponent(b.id)}`} title="Open this policy's breaches">
                {b.name}
              </a>
              <span className="breach-figures">
                {b.attainment === null ? 'no decided instances' : `${(b.attainment * 100).toFixed(1)} % met (objective ${(b.objective * 100).toFixed(1)} %)`}
                {b.open_breached > 0 && ` · ${formatCount(b.open_breached)} open past the deadline`}
                {b.late > 0 && ` · ${formatCount(b.late)} late`}
                {b.burn_alerting && ' · burning its error budget fast'}
              </span>
              <span className="breach-owner">
                {b.severity} · {b.owner}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function FreshnessBody({ view }: { view: OverviewView }) {
  return (
    <>
      <p className="panel-summary">Time since each source last sent.</p>
      {view.freshness.length === 0 ? (
        <p className="state-message">No source has sent anything in the last 24 hours.</p>
      ) : (
        <ul className="freshness-list">
          {view.freshness.map((f) => (
            <li key={f.system} className={`freshness tone-${f.tone}`} data-testid={`freshness-${f.system}`}>
              <span className="freshness-system">{f.system}</span>
              <span className="freshness-age">{f.secondsSinceLast < 1 ? 'just now' : `${formatDuration(f.secondsSinceLast * 1000)} ago`}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
