import { useMemo } from 'react';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { shapeOverview, type LagTile, type OverviewView } from './shapeOverview';
import { useOverviewQuery } from './useOverviewQuery';

/**
 * The peak-period wall's figures: inventory lag per channel now, open exceptions by age and owner, SLA policies
 * breaching, and how long each source has been silent. Refreshed every 2 s; sizes are fixed so nothing jumps.
 */
export function OverviewPanels() {
  const query = useOverviewQuery();
  const view = useMemo(() => (query.data === undefined ? undefined : shapeOverview(query.data)), [query.data]);

  if (view === undefined) {
    return (
      <section className="panel overview-loading" aria-busy={query.isPending}>
        {query.isError ? (
          <LoadFailed what="the overview" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
        ) : (
          <p className="state-message" role="status">
            Loading the overview…
          </p>
        )}
      </section>
    );
  }
  return (
    <>
      {query.isError && (
        <p className="inline-notice" role="status">
          Showing the overview as of {formatClock(view.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      <div className="overview-grid">
        <LagPanel view={view} />
        <ExceptionsPanel view={view} />
        <SlaPanel view={view} />
        <FreshnessPanel view={view} />
      </div>
    </>
  );
}

function LagPanel({ view }: { view: OverviewView }) {
  return (
    <section className="panel" aria-labelledby="lag-title">
      <header className="panel-header">
        <h2 id="lag-title">How stale each channel is now (p95, movements of the last 15 min)</h2>
      </header>
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
    </section>
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

function ExceptionsPanel({ view }: { view: OverviewView }) {
  const { exceptions } = view;
  return (
    <section className="panel" aria-labelledby="exceptions-title">
      <header className="panel-header">
        <h2 id="exceptions-title">Open exceptions by age</h2>
        <p className="panel-summary" data-testid="exceptions-total">
          {formatCount(exceptions.total)} open
        </p>
      </header>
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
    </section>
  );
}

function SlaPanel({ view }: { view: OverviewView }) {
  const { slas } = view;
  return (
    <section className="panel" aria-labelledby="slas-title">
      <header className="panel-header">
        <h2 id="slas-title">SLAs breaching now</h2>
        <p className="panel-summary" data-testid="slas-summary">
          {slas.breaching.length} of {slas.policies} policies
        </p>
      </header>
      {slas.breaching.length === 0 ? (
        <p className="state-message">Every policy is within its objective, with nothing open past its deadline.</p>
      ) : (
        <ul className="breach-list">
          {slas.breaching.map((b) => (
            <li key={b.id} className={`breach tone-${b.tone}`} data-testid={`breach-${b.id}`}>
              <span className="breach-name">{b.name}</span>
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
    </section>
  );
}

function FreshnessPanel({ view }: { view: OverviewView }) {
  return (
    <section className="panel" aria-labelledby="freshness-title">
      <header className="panel-header">
        <h2 id="freshness-title">Time since each source last sent</h2>
      </header>
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
    </section>
  );
}
