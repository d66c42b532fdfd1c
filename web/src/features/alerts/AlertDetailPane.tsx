import { useEffect, useRef } from 'react';
import { ApiRequestError } from '../../api/client';
import type { AlertDetail } from '../../api/contracts';
import { setUrlParams } from '../../url/useUrlParam';
import { AlertActions } from './AlertActions';
import { AlertTimeline } from './AlertTimeline';
import { alertFacts } from './shapeAlertDetail';
import { severityLabel } from './severity';
import { STATE_LABELS, slaHref } from './shapeAlerts';
import { useAlertDetail } from './useAlertQueries';

/**
 * The open alert (`?alert=<id>`), in a pane beside the list: what it says, everything known about it, what to do
 * (acknowledge, resolve, mute, unmute), its lifecycle and every notification. Focus moves to its title when it
 * opens; Escape or the close button closes it.
 */
export function AlertDetailPane({ id, onClose }: { id: string; onClose: () => void }) {
  const query = useAlertDetail(id);
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
    <aside className="work-pane alert-pane" aria-labelledby="alert-detail-title" data-testid="alert-detail" data-state={detail?.alert.state}>
      <header className="work-pane-head alert-pane-head">
        <div>
          <h3 id="alert-detail-title" ref={title} tabIndex={-1}>
            {detail === undefined ? 'Alert' : detail.alert.rule_name}
          </h3>
          {detail !== undefined && (
            <p className="work-pane-badges">
              <span className={`work-badge alert-sev alert-sev-${detail.alert.severity}`}>{severityLabel(detail.alert.severity)}</span>
              <span className={`work-badge alert-state-${detail.alert.state}`} data-testid="detail-state">
                {STATE_LABELS[detail.alert.state]}
              </span>
              {detail.alert.muted_by.length > 0 && <span className="work-badge alert-state-muted">Muted</span>}
            </p>
          )}
        </div>
        <button type="button" className="work-pane-close" onClick={onClose} aria-label="Close the alert" title="Close (Esc)">
          ×
        </button>
      </header>

      {query.isPending && (
        <p className="state-message" role="status">
          Loading the alert…
        </p>
      )}
      {query.isError && detail === undefined && <DetailError error={query.error} onRetry={() => void query.refetch()} onClose={onClose} />}
      {query.isError && detail !== undefined && (
        <p className="inline-notice" role="status">
          The last refresh failed: {query.error.message}
        </p>
      )}
      {detail !== undefined && <Body detail={detail} />}
    </aside>
  );
}

function Body({ detail }: { detail: AlertDetail }) {
  const { alert } = detail;
  const href = slaHref(alert);
  return (
    <>
      <p className="alert-summary-text" data-testid="alert-detail-summary">
        {alert.summary}
      </p>
      <p className="alert-pane-links">
        <a
          href={href}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            setUrlParams(Object.fromEntries(new URLSearchParams(href)), []);
            window.scrollTo({ top: 0 });
          }}
          data-testid="alert-sla-link"
        >
          See the breach on the SLA screen
        </a>
      </p>
      <dl className="work-facts alert-facts" data-testid="alert-facts">
        {alertFacts(alert, detail.at).map((f) => (
          <div key={f.label} className="work-fact">
            <dt>{f.label}</dt>
            <dd className={f.mono ? 'work-mono' : undefined}>{f.value}</dd>
          </div>
        ))}
      </dl>
      <AlertActions key={`${alert.id}-${alert.episode}`} alert={alert} />
      <AlertTimeline detail={detail} />
    </>
  );
}

function DetailError({ error, onRetry, onClose }: { error: Error; onRetry: () => void; onClose: () => void }) {
  if (error instanceof ApiRequestError && (error.status === 404 || error.status === 400)) {
    return (
      <div className="state-message" data-testid="alert-not-found">
        <p>{error.message}. The link may be older than the 90 days alerts are kept, or mistyped.</p>
        <button type="button" className="link-button" onClick={onClose}>
          Back to the alerts
        </button>
      </div>
    );
  }
  return (
    <div className="state-message state-message-error" role="alert">
      <p>Could not load the alert: {error.message}</p>
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
