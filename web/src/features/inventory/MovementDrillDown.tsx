import { useId, useMemo } from 'react';
import { formatDuration } from '../../format/duration';
import { formatQuantity } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import type { TimeRange } from '../../url/timeRange';
import { setUrlParams } from '../../url/useUrlParam';
import { formatTimeTick } from './lagScale';
import { shapeMovements } from './shapeMovements';
import { useMovements } from './useInventoryQueries';
import './inventory.css';

const MINUTE = 60_000;
/** The slowest this many of a minute are listed; the summary says how many there were. */
const LIMIT = 50;

type Props = {
  range: TimeRange | undefined;
  minute: number;
  target: string;
  targets: { target: string; label: string }[];
  location: string;
  sku: string;
};

/**
 * The movements behind one point of the lag chart (`?minute=&target=`): each with its SKU, location, when it
 * happened, when it reached the target (or that it still waits, and for how long), and a link to its lineage.
 */
export function MovementDrillDown({ range, minute, target, targets, location, sku }: Props) {
  const id = useId();
  const query = useMovements(range, minute, target, location, sku, LIMIT);
  const view = useMemo(() => (query.data === undefined ? undefined : shapeMovements(query.data)), [query.data]);
  const label = targets.find((t) => t.target === target)?.label ?? target;
  const when = formatTimeTick(minute, MINUTE);
  const scope = [location !== '' ? `at ${location}` : '', sku !== '' ? `of ${sku}` : ''].filter(Boolean).join(' ');

  return (
    <div className="drill-down" role="region" aria-labelledby={`${id}-title`} data-testid="movements">
      <div className="drill-down-header">
        <h3 id={`${id}-title`}>
          Movements of {when} to {label}
          {scope !== '' && <span className="muted"> {scope}</span>}
        </h3>
        <div className="drill-down-controls">
          <button type="button" className="minute-button" onClick={() => setUrlParams({ minute: String(minute - MINUTE) })}>
            ← Previous minute
          </button>
          <button type="button" className="minute-button" onClick={() => setUrlParams({ minute: String(minute + MINUTE) })}>
            Next minute →
          </button>
          <label className="drill-down-target">
            To{' '}
            <select value={target} onChange={(e) => setUrlParams({ target: e.target.value })}>
              {targets.map((t) => (
                <option key={t.target} value={t.target}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="link-button" onClick={() => setUrlParams({ minute: '', target: '' })}>
            Close
          </button>
        </div>
      </div>
      <p className="panel-summary" aria-live="polite" data-testid="movements-summary">
        {view === undefined ? '\u00a0' : view.summary === '' ? '\u00a0' : `${view.summary}; slowest first. A movement still waiting counts at its age so far.`}
      </p>
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          The last refresh failed: {query.error.message}
        </p>
      )}
      {query.isPending && (
        <p className="state-message" role="status">
          Loading the movements of {when}…
        </p>
      )}
      {query.isError && query.data === undefined && <LoadFailed what={`the movements of ${when}`} error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />}
      {view !== undefined && view.rows.length === 0 && (
        <p className="state-message" data-testid="movements-empty">
          No stock movement {scope !== '' && `${scope} `}happened in the minute from {when}. Pick another point of the chart, or step to the next minute.
        </p>
      )}
      {view !== undefined && view.rows.length > 0 && (
        <div className={`table-scroll drill-down-scroll${query.isPlaceholderData ? ' is-updating' : ''}`} tabIndex={0} role="region" aria-label={`Movements of ${when} to ${label}`} aria-busy={query.isPlaceholderData}>
          <table className="figures-table movements-table">
            <caption className="visually-hidden">
              Movements of the minute from {when} to {label}, slowest first
            </caption>
            <colgroup>
              <col className="col-sku" />
              <col className="col-location" />
              <col className="col-quantity" />
              <col className="col-time" />
              <col className="col-time" />
              <col className="col-lag" />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Location</th>
                <th scope="col">Quantity</th>
                <th scope="col">Happened</th>
                <th scope="col">Reached {label}</th>
                <th scope="col">Lag</th>
                <th scope="col">Lineage</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((m) => (
                <tr key={m.id} data-testid="movement-row">
                  <th scope="row">{m.sku || '–'}</th>
                  <td>{m.location || '–'}</td>
                  <td>{m.quantity === null ? '–' : formatQuantity(m.quantity)}</td>
                  <td title={m.sourceStep}>{formatClock(m.sourceAt)}</td>
                  <td>{m.reachedAt === null ? <span className="status-badge status-badge-retrying">waiting</span> : formatClock(m.reachedAt)}</td>
                  <td className={m.reachedAt === null ? 'lag-waiting' : undefined}>{m.reachedAt === null ? `${formatDuration(m.lagMs)} so far` : formatDuration(m.lagMs)}</td>
                  <td>
                    <a
                      href={m.lineageHref}
                      aria-label={`Lineage of ${m.id}`}
                      onClick={(e) => {
                        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                        e.preventDefault();
                        setUrlParams({ view: 'lineage', key: m.id }, []);
                        window.scrollTo({ top: 0 });
                      }}
                    >
                      {m.id}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
