import { useCallback, useEffect, useMemo } from 'react';
import type { AlertDetail, AlertList } from '../../api/contracts';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { describeTimeRange } from '../../url/timeRange';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { AlertDetailPane } from './AlertDetailPane';
import { AlertFilterBar } from './AlertFilterBar';
import { AlertTable } from './AlertTable';
import { clearedFilters, hasActiveFilters, matchesFilters, parsePage, stateChoice, withinRange, type AlertFilterParam, type AlertFilters } from './alertQuery';
import { alertRow, emptyMessage, sortAlerts } from './shapeAlerts';
import { useAlertDetails, useAlertList } from './useAlertQueries';
import './alerts.css';

/**
 * The Alerts screen's list: tabs by state (open, firing, acknowledged, muted, pending, resolved, all) with counts,
 * filters by owner, severity and rule — all in the link — the alerts worst first, and the open one
 * (`?alert=<id>`) in a pane with its facts, actions, lifecycle and notifications.
 */
export function AlertListPanel({ panel, range }: PanelProps<'alertList'>) {
  const { pageSize } = panel.options;
  const [stateText] = useUrlParam('state');
  const [owner] = useUrlParam('owner');
  const [severity] = useUrlParam('severity');
  const [rule] = useUrlParam('rule');
  const [pageText] = useUrlParam('page');
  const [openId, setOpenId] = useUrlParam('alert');
  const filters: AlertFilters = useMemo(() => ({ owner, severity, rule }), [owner, severity, rule]);
  const { choice, problem } = stateChoice(stateText);
  const page = parsePage(pageText);
  const query = useAlertList(choice, range);
  const inTab = useMemo(() => sortAlerts(withinRange(query.data?.alerts ?? [], range)), [query.data, range]);
  const shown = useMemo(() => inTab.filter((a) => matchesFilters(a, filters)), [inTab, filters]);
  const onPage = shown.slice((page - 1) * pageSize, page * pageSize);
  const at = query.data?.at ?? 0;
  const rows = onPage.map((a) => alertRow(a, at));
  // Only an alert that fired can have been sent anywhere: the others need no detail for the column.
  const detailQueries = useAlertDetails(onPage.filter((a) => a.fired_at !== null).map((a) => a.id));
  const details = new Map<string, AlertDetail>();
  for (const q of detailQueries) if (q.data !== undefined) details.set(q.data.alert.id, q.data);
  const active = hasActiveFilters(filters);
  const rangeLabel = range === undefined ? 'Last 24 hours' : describeTimeRange(range);

  const close = useCallback(() => {
    const id = openId;
    setOpenId('');
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-alert-link="${CSS.escape(id)}"]`)?.focus());
  }, [openId, setOpenId]);

  useEffect(() => {
    document.title = openId === '' ? 'Alerts · Flowlens' : `${inTab.find((a) => a.id === openId)?.rule_name ?? 'Alert'} · Alerts · Flowlens`;
  }, [openId, inTab]);

  return (
    <div className="work-screen" data-testid="alert-list">
      <div className="work-toolbar">
        <AlertFilterBar
          choice={choice}
          counts={query.data?.counts}
          alerts={inTab}
          filters={filters}
          active={active}
          onFilter={(param: AlertFilterParam, value: string) => setUrlParams({ [param]: value, page: '' })}
          onClear={() => setUrlParams(clearedFilters())}
        />
      </div>
      {problem !== undefined && (
        <p className="inline-notice" role="status">
          {problem}
        </p>
      )}
      <Summary list={query.data} shown={shown.length} page={page} pageSize={pageSize} rangeLabel={rangeLabel} stale={query.isError ? query.error.message : undefined} />
      <div className="work-list" aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message" role="status">
            {query.failureCount > 0 ? `Still trying to load alerts: ${query.failureReason?.message ?? 'no answer yet'}` : 'Loading alerts…'}
          </p>
        )}
        {query.isError && query.data === undefined && <LoadFailed what="the alerts" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />}
        {query.data !== undefined && shown.length === 0 && <Empty message={emptyMessage(choice, active, rangeLabel)} onClear={() => setUrlParams(clearedFilters())} />}
        {query.data !== undefined && shown.length > 0 && rows.length === 0 && (
          <p className="state-message">
            This page is past the end.{' '}
            <button type="button" className="link-button" onClick={() => setUrlParams({ page: '' })}>
              Go to the first page
            </button>
          </p>
        )}
        {rows.length > 0 && (
          <AlertTable
            rows={rows}
            details={details}
            openId={openId}
            onOpen={(id) => setUrlParams({ alert: id })}
            onSla={(href) => {
              setUrlParams(Object.fromEntries(new URLSearchParams(href)), []);
              window.scrollTo({ top: 0 });
            }}
            caption={`${choice.label} alerts, worst first`}
          />
        )}
      </div>
      <Pager total={shown.length} page={page} pageSize={pageSize} />
      {openId !== '' && <AlertDetailPane id={openId} onClose={close} />}
    </div>
  );
}

function Summary({ list, shown, page, pageSize, rangeLabel, stale }: { list: AlertList | undefined; shown: number; page: number; pageSize: number; rangeLabel: string; stale: string | undefined }) {
  if (list === undefined) return <p className="panel-summary">Alerts</p>;
  const first = Math.min(shown, (page - 1) * pageSize + 1);
  const last = Math.min(shown, page * pageSize);
  const what = shown === 0 ? 'none' : first === 1 && last === shown ? `${formatCount(shown)}` : `${formatCount(first)}–${formatCount(last)} of ${formatCount(shown)}`;
  return (
    <>
      <p className="panel-summary" data-testid="alert-summary">
        {what} · open alerts and those closed in the {rangeLabel.toLowerCase()} · as of {formatClock(list.at)}
      </p>
      {list.total > list.alerts.length && (
        <p className="inline-notice" role="status">
          {formatCount(list.total)} alerts match; the {formatCount(list.alerts.length)} most recently changed are shown. Pick a shorter range or a tab.
        </p>
      )}
      {stale !== undefined && (
        <p className="inline-notice" role="status">
          Showing alerts as of {formatClock(list.at)}; the last refresh failed: {stale}
        </p>
      )}
    </>
  );
}

function Empty({ message, onClear }: { message: ReturnType<typeof emptyMessage>; onClear: () => void }) {
  return (
    <div className="state-message work-empty" data-testid="alert-empty">
      <p>
        <strong>{message.title}</strong>
      </p>
      <p>{message.detail}</p>
      {message.canClear && (
        <button type="button" className="action-button" onClick={onClear}>
          Clear filters
        </button>
      )}
    </div>
  );
}

function Pager({ total, page, pageSize }: { total: number; page: number; pageSize: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && page === 1) return null;
  const go = (next: number) => setUrlParams({ page: next === 1 ? '' : String(next) });
  return (
    <nav className="work-pager" aria-label="Pages of alerts">
      <button type="button" className="action-button" disabled={page <= 1} onClick={() => go(page - 1)}>
        Previous
      </button>
      <span>
        Page {Math.min(page, pages)} of {pages}
      </span>
      <button type="button" className="action-button" disabled={page >= pages} onClick={() => go(page + 1)}>
        Next
      </button>
    </nav>
  );
}
