import { useEffect, useRef } from 'react';
import { ApiRequestError } from '../../api/client';
import type { TimeRange } from '../../url/timeRange';
import { ExceptionLineage } from './ExceptionLineage';
import { ExceptionReplayLink } from './ExceptionReplayLink';
import { ExceptionWorkflow } from './ExceptionWorkflow';
import { detailFacts } from './shapeDetail';
import { KIND_LABELS, STATE_LABELS } from './shapeInbox';
import { useExceptionDetail } from './useExceptionQueries';

/**
 * The open exception (`?exception=<id>`), in a pane beside the inbox: everything about it, what to do, its
 * history and its lineage. Focus moves to its title when it opens; Escape or the close button closes it.
 */
export function ExceptionDetailPane({ id, range, onClose }: { id: string; range: TimeRange | undefined; onClose: () => void }) {
  const query = useExceptionDetail(id, range);
  const title = useRef<HTMLHeadingElement>(null);
  const detail = query.data;

  useEffect(() => {
    title.current?.focus();
  }, [id]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement;
      if (event.key === 'Escape' && !typing) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="work-pane" aria-labelledby="exc-detail-title" data-testid="exception-detail" data-state={detail?.state}>
      <header className="work-pane-head exc-pane-head">
        <div>
          <h3 id="exc-detail-title" ref={title} tabIndex={-1}>
            {detail === undefined ? 'Exception' : detail.step}
          </h3>
          {detail !== undefined && (
            <p className="work-pane-badges">
              <span className={`work-badge exc-kind exc-kind-${detail.kind}`}>{KIND_LABELS[detail.kind]}</span>
              <span className={`work-badge exc-state-${detail.state}`} data-testid="detail-state">
                {STATE_LABELS[detail.state]}
              </span>
            </p>
          )}
        </div>
        <button type="button" className="work-pane-close" onClick={onClose} aria-label="Close the exception" title="Close (Esc)">
          ×
        </button>
      </header>

      {query.isPending && (
        <p className="state-message" role="status">
          Loading the exception…
        </p>
      )}
      {query.isError && detail === undefined && <DetailError error={query.error} onRetry={() => void query.refetch()} onClose={onClose} />}
      {query.isError && detail !== undefined && (
        <p className="inline-notice" role="status">
          The last refresh failed: {query.error.message}
        </p>
      )}
      {detail !== undefined && (
        <>
          <dl className="work-facts" data-testid="exception-facts">
            {detailFacts(detail).map((f) => (
              <div key={f.label} className="work-fact">
                <dt>{f.label}</dt>
                <dd className={f.mono ? 'work-mono' : undefined}>{f.value}</dd>
              </div>
            ))}
          </dl>
          {detail.kind === 'failed_step' && <ExceptionReplayLink detail={detail} />}
          <ExceptionWorkflow key={detail.id} detail={detail} />
          <ExceptionLineage correlationId={detail.correlation_id} step={detail.step} />
        </>
      )}
    </aside>
  );
}

function DetailError({ error, onRetry, onClose }: { error: Error; onRetry: () => void; onClose: () => void }) {
  if (error instanceof ApiRequestError && error.status === 404) {
    return (
      <div className="state-message" data-testid="exception-not-found">
        <p>{error.message}</p>
        <button type="button" className="link-button" onClick={onClose}>
          Back to the inbox
        </button>
      </div>
    );
  }
  return (
    <div className="state-message state-message-error" role="alert">
      <p>Could not load the exception: {error.message}</p>
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
