import { useMemo, type MouseEvent } from 'react';
import { ApiRequestError } from '../../api/client';
import { setUrlParams } from '../../url/useUrlParam';
import { lineageHref } from './shapeDetail';
import { shapeChain } from './shapeChain';
import { useExceptionLineage } from './useExceptionQueries';

/** The exception's correlation as a compact chain (read-only), with the way to the full lineage explorer. */
export function ExceptionLineage({ correlationId, step }: { correlationId: string; step: string }) {
  const query = useExceptionLineage(correlationId);
  const chain = useMemo(() => (query.data === undefined ? undefined : shapeChain(query.data, correlationId, step)), [query.data, correlationId, step]);

  const openExplorer = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    // A view switch keeps only the time range (ViewNav); the lineage explorer takes the key.
    setUrlParams({ view: 'lineage', key: correlationId }, ['range', 'from', 'to']);
    window.scrollTo({ top: 0 });
  };

  return (
    <section className="work-section" aria-labelledby="exc-lineage-title" data-testid="exception-lineage">
      <div className="exc-section-head">
        <h4 id="exc-lineage-title">Lineage</h4>
        <a href={lineageHref(correlationId)} onClick={openExplorer} data-testid="lineage-link">
          Open in the lineage explorer
        </a>
      </div>
      {query.isPending && (
        <p className="muted" role="status">
          Tracing <code>{correlationId}</code>…
        </p>
      )}
      {query.isError &&
        (query.error instanceof ApiRequestError && query.error.status === 404 ? (
          <p className="muted">No events of this correlation are stored any more (or they have not been loaded yet).</p>
        ) : (
          <p className="exc-feedback exc-feedback-error" role="alert">
            Could not load its lineage: {query.error.message}{' '}
            <button type="button" className="link-button" onClick={() => void query.refetch()}>
              Try again
            </button>
          </p>
        ))}
      {chain !== undefined && (
        <>
          <p className="muted" data-testid="lineage-headline">
            {chain.headline}
          </p>
          <ol className="exc-chain" aria-label={`Steps of ${correlationId} in time order`}>
            {chain.steps.map((s) => (
              <li key={s.id} className={s.isException ? 'exc-chain-step exc-chain-step-this' : 'exc-chain-step'} data-testid="lineage-step" data-step={s.step}>
                <span className={`status-badge status-badge-${s.status}`}>{s.statusLabel}</span>
                <code className="exc-chain-name">{s.step}</code>
                <span className="muted">{s.system}</span>
                <span className="exc-chain-time">{s.time}</span>
                {s.attempts !== null && <span className="muted">{s.attempts}</span>}
              </li>
            ))}
          </ol>
          {chain.missing.length > 0 && (
            <ul className="exc-chain-missing" aria-label="Steps still missing">
              {chain.missing.map((m) => (
                <li key={m.step}>
                  <span className="work-badge exc-missing-badge">Missing</span> <code>{m.step}</code> <span className="muted">{m.systems}</span>
                  {m.overdue !== null && <span className="exc-overdue"> · {m.overdue}</span>}
                </li>
              ))}
            </ul>
          )}
          {chain.linked.length > 0 && (
            <p className="exc-linked">
              Linked:{' '}
              {chain.linked.map((l, i) => (
                <span key={l.correlationId}>
                  {i > 0 && ', '}
                  <code>{l.correlationId}</code> <span className="muted">({l.flow}, {l.state})</span>
                </span>
              ))}
              {chain.moreLinked > 0 && ` and ${chain.moreLinked} more`}
            </p>
          )}
        </>
      )}
    </section>
  );
}
