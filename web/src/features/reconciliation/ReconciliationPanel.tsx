import { useMemo, useState } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { describeTimeRange, type TimeRange } from '../../url/timeRange';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import type { ReconFilters } from './api';
import { ReconFilterBar } from './ReconFilterBar';
import { SettlementsTable } from './SettlementsTable';
import { StatusTiles } from './StatusTiles';
import { filterOptions, readFilters, settlementRow, statusTiles } from './shapeReconciliation';
import { useReconciliationList } from './useReconciliationQueries';
import './reconciliation.css';

/** Without a view range (a view file that gives none), settlements of the last week. */
const FALLBACK_RANGE: TimeRange = { kind: 'relative', range: '7d' };

/**
 * Settlements reported in the view's range against the ERP: totals per status with amounts per currency (each a
 * filter), filters for reason, source and currency, and the settlements newest first; picking one opens it in
 * the Settlement panel (`?settlement=`).
 */
export function ReconciliationPanel({ panel, range }: PanelProps<'reconciliation'>) {
  const [status] = useUrlParam('status');
  const [reason] = useUrlParam('reason');
  const [source] = useUrlParam('source');
  const [currency] = useUrlParam('currency');
  const { filters, problems } = readFilters({ status, reason, source, currency });
  const effective = range ?? FALLBACK_RANGE;
  // Other filters or another range start again on the first page.
  return (
    <>
      {problems.length > 0 && (
        <p className="inline-notice" role="status" data-testid="recon-link-problem">
          Part of the link was ignored: {problems.join('; ')}.
        </p>
      )}
      <SettlementPages key={`${JSON.stringify(filters)}|${JSON.stringify(effective)}`} filters={filters} range={effective} pageSize={panel.options.pageSize} />
    </>
  );
}

function SettlementPages({ filters, range, pageSize }: { filters: ReconFilters; range: TimeRange; pageSize: number }) {
  const [offset, setOffset] = useState(0);
  const [selected] = useUrlParam('settlement');
  const query = useReconciliationList({ range, filters, limit: pageSize, offset });
  const list = query.data;
  const tiles = useMemo(() => (list === undefined ? undefined : statusTiles(list)), [list]);
  const rows = useMemo(() => list?.settlements.map((s) => settlementRow(s)), [list]);
  const options = useMemo(() => filterOptions(list ?? { by_reason: { fee: 0, tax: 0, currency: 0, missing_line: 0, unknown: 0 }, sources: [], currencies: [] }, filters), [list, filters]);
  const change = (updates: Partial<ReconFilters>) => setUrlParams(updates);
  const active = Object.values(filters).some((v) => v !== '');

  if (list === undefined || tiles === undefined || rows === undefined) {
    return (
      <div className="recon-loading" aria-busy={query.isPending}>
        {query.isError ? (
          <LoadFailed what="the settlements" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
        ) : (
          <p className="state-message" role="status">
            Reconciling the settlements of {describeTimeRange(range).toLowerCase()}…
          </p>
        )}
      </div>
    );
  }
  const inRange = Object.values(list.by_status).reduce((a, b) => a + b, 0);
  return (
    <>
      <p className="panel-summary" data-testid="recon-summary">
        {formatCount(inRange)} {inRange === 1 ? 'settlement' : 'settlements'} reported in {describeTimeRange(range).toLowerCase()}
        {filters.source !== '' && ` by ${filters.source}`}
        {filters.currency !== '' && ` in ${filters.currency}`} · reconciled at {formatClock(list.at)}
      </p>
      {query.isError && (
        <p className="inline-notice" role="status">
          Showing the reconciliation of {formatClock(list.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      {list.truncated && (
        <p className="inline-notice" role="status">
          More settlements were active in this range than one answer reconciles (5,000): the totals cover the first ones only. Pick a shorter range.
        </p>
      )}
      <StatusTiles tiles={tiles} selected={filters.status} onSelect={(next) => change({ status: next })} />
      <ReconFilterBar filters={filters} options={options} onChange={change} />
      {rows.length === 0 ? (
        <div className="state-message" data-testid="recon-empty">
          {inRange === 0 && !active ? (
            <p>
              No settlements reported in {describeTimeRange(range).toLowerCase()}. Amazon settlement reports arrive as files (<code>POST /v1/files/settlement</code> or the inbox folder), Stripe payouts as webhooks, and the
              ERP&apos;s journal entries through the event API; pick a longer range if they are older.
            </p>
          ) : (
            <p>
              No settlement matches these filters.{' '}
              <button type="button" className="link-button" onClick={() => change({ status: '', reason: '', source: '', currency: '' })}>
                Clear filters
              </button>
            </p>
          )}
        </div>
      ) : (
        <>
          <SettlementsTable rows={rows} selected={selected} busy={query.isPlaceholderData} />
          <div className="report-pager">
            <span aria-live="polite">
              {offset + 1}–{offset + rows.length} of {formatCount(list.total)}
            </span>
            <button type="button" className="report-button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
              Previous
            </button>
            <button type="button" className="report-button" disabled={offset + rows.length >= list.total} onClick={() => setOffset(offset + pageSize)}>
              Next
            </button>
          </div>
        </>
      )}
    </>
  );
}
