import { useEffect, useMemo, useState } from 'react';
import { ApiRequestError } from '../../api/client';
import type { PanelProps } from '../../dashboards/panelProps';
import { LoadFailed } from '../../ui/LoadFailed';
import { resolveTimeRange, timeRangeKey, type TimeRange } from '../../url/timeRange';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { AuditFilterBar } from './AuditFilterBar';
import { AuditTable } from './AuditTable';
import { clearedFilters, filterParams, hasActiveFilters, parseResults, type AuditFilters } from './auditQuery';
import { auditLine, emptyMessage, summaryText } from './shapeAudit';
import { useAuditTrail } from './useAuditTrail';
import './audit.css';

/** A view without a time range still reads the trail over one: the last day. */
const FALLBACK_RANGE: TimeRange = { kind: 'relative', range: '24h' };

/**
 * The audit trail (admins): every change made through Flowlens and every refused attempt — who, what, on which
 * target, when, from where, how it ended — newest first, filtered by actor, action, target and result (all in the
 * link) over the view's time range. Anyone else is told the trail is for admins, in the server's words.
 */
export function AuditLogPanel({ panel, range }: PanelProps<'auditLog'>) {
  const [actor] = useUrlParam('actor');
  const [action] = useUrlParam('action');
  const [target] = useUrlParam('target');
  const [resultText] = useUrlParam('result');
  const { results, problem } = useMemo(() => parseResults(resultText), [resultText]);
  const filters: AuditFilters = useMemo(() => ({ actor, action, target, results }), [actor, action, target, results]);
  const over = range ?? FALLBACK_RANGE;

  useEffect(() => {
    document.title = 'Audit · Flowlens';
  }, []);

  return (
    <div className="work-screen audit-screen" data-testid="audit-log">
      {problem !== undefined && (
        <p className="inline-notice" role="status">
          {problem}
        </p>
      )}
      <Trail key={`${timeRangeKey(over)}|${JSON.stringify(filters)}`} filters={filters} range={over} pageSize={panel.options.pageSize} />
    </div>
  );
}

/** The trail for one set of filters and range, its window fixed when first shown (Refresh moves it to now). */
function Trail({ filters, range, pageSize }: { filters: AuditFilters; range: TimeRange; pageSize: number }) {
  const [asOf, setAsOf] = useState(() => Date.now());
  const window = useMemo(() => resolveTimeRange(range, asOf), [range, asOf]);
  const query = useAuditTrail(filters, window, pageSize);
  const lines = useMemo(() => query.data?.pages.flatMap((p) => p.rows).map((r) => auditLine(r)) ?? [], [query.data]);
  const actors = useMemo(() => [...new Set(lines.map((l) => l.actorValue))].sort(), [lines]);
  const active = hasActiveFilters(filters);
  const last = query.data?.pages.at(-1);

  if (query.error instanceof ApiRequestError && query.error.status === 403) return <AdminOnly message={query.error.message} />;
  // A relative range moves on to now; a fixed one is read again.
  const refresh = () => {
    if (range.kind === 'relative') setAsOf(Date.now());
    else void query.refetch();
  };
  return (
    <>
      <AuditFilterBar filters={filters} actors={actors} active={active} onApply={(next) => setUrlParams(filterParams(next))} onClear={() => setUrlParams(clearedFilters())} />
      <div className="audit-summary-row">
        <p className="panel-summary" data-testid="audit-summary">
          {last === undefined ? 'Audit trail' : summaryText(lines.length, last.has_more, { from: last.from, to: last.to })}
        </p>
        <button type="button" className="action-button" onClick={refresh} disabled={query.isFetching}>
          Refresh
        </button>
      </div>
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          The last request failed: {query.error.message}
        </p>
      )}
      <div className="audit-body" aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message" role="status">
            Loading the audit trail…
          </p>
        )}
        {query.isError && query.data === undefined && <LoadFailed what="the audit trail" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />}
        {query.data !== undefined && lines.length === 0 && <Empty active={active} />}
        {lines.length > 0 && <AuditTable lines={lines} onFilter={(param, value) => setUrlParams({ [param]: value })} />}
      </div>
      {query.hasNextPage && (
        <p className="audit-more">
          <button type="button" className="action-button" data-testid="audit-more" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? 'Loading older entries…' : 'Load older entries'}
          </button>
        </p>
      )}
      {query.data !== undefined && lines.length > 0 && !query.hasNextPage && <p className="audit-more muted">That is every entry in this range.</p>}
    </>
  );
}

function Empty({ active }: { active: boolean }) {
  const message = emptyMessage(active);
  return (
    <div className="state-message" data-testid="audit-empty">
      <p>
        <strong>{message.title}</strong>
      </p>
      <p>{message.detail}</p>
      {active && (
        <button type="button" className="action-button" onClick={() => setUrlParams(clearedFilters())}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** For anyone but an admin: not an error, a fact about the screen, with the server's reason. */
function AdminOnly({ message }: { message: string }) {
  return (
    <div className="state-message audit-admin-only" role="status" data-testid="audit-admin-only">
      <p>
        <strong>The audit trail is for admins.</strong>
      </p>
      <p>
        The server says: {message}. Ask an admin if you need to know who did what; your own actions show in each alert&apos;s, exception&apos;s and replay&apos;s
        history.
      </p>
    </div>
  );
}
