import { useEffect, useMemo, useRef } from 'react';
import { isRetryable } from '../../api/client';
import type { ReconciliationDetailAnswer } from '../../api/contracts';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { LineageLink } from '../slas/LineageLink';
import { ComparisonTable, OrdersTable, PostingsTable, RefundsTable } from './SettlementSections';
import { REASON_LABELS, STATUS_LABELS, formatDay } from './shapeReconciliation';
import { shapeSettlement } from './shapeSettlement';
import { useSettlement } from './useReconciliationQueries';
import './reconciliation.css';

/**
 * The settlement picked in the Settlements panel (`?settlement=`): the difference explained part by part, each
 * order against its ERP invoice, the refunds it withholds and the ERP's journal lines, with links to lineage.
 */
export function SettlementPanel({ range }: PanelProps<'reconciliationSettlement'>) {
  const [id] = useUrlParam('settlement');
  const query = useSettlement(id, range);
  if (id === '') {
    return (
      <p className="state-message" data-testid="recon-pick">
        Pick a settlement in the table above to see its lines against the orders and refunds they settle and the ERP&apos;s postings, and what
        explains a difference.
      </p>
    );
  }
  if (query.data === undefined) {
    return query.isError ? (
      <div className="state-message state-message-error" role="alert" data-testid="recon-detail-error">
        {isRetryable(query.error) ? (
          <LoadFailed what={`settlement ${id}`} error={query.error} onRetry={() => void query.refetch()} className="recon-inline-error" />
        ) : (
          <p>{query.error.message}. Check the settlement id in the link, or pick one in the table above.</p>
        )}
        <p>
          <button type="button" className="link-button" onClick={() => setUrlParams({ settlement: '' })}>
            Close
          </button>
        </p>
      </div>
    ) : (
      <p className="state-message" role="status">
        Reconciling settlement {id}…
      </p>
    );
  }
  return <SettlementDetail key={id} detail={query.data} refreshFailed={query.isError ? { message: query.error.message, at: query.dataUpdatedAt } : undefined} />;
}

function SettlementDetail({ detail, refreshFailed }: { detail: ReconciliationDetailAnswer; refreshFailed: { message: string; at: number } | undefined }) {
  const view = useMemo(() => shapeSettlement(detail), [detail]);
  const heading = useRef<HTMLHeadingElement>(null);
  const tone = detail.status === 'matched' ? 'ok' : detail.status === 'mismatched' ? 'bad' : 'warn';

  // Picked from the table: bring the detail into view and move focus to it (a pasted link just shows it).
  useEffect(() => {
    if (!document.activeElement?.closest('[data-kind="reconciliation"]')) return;
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, []);

  return (
    <div className="recon-detail" data-testid="recon-detail">
      <div className="report-drill-header recon-detail-header">
        <h3 ref={heading} tabIndex={-1} data-testid="recon-detail-title">
          Settlement {detail.settlement_id}
        </h3>
        <span className={`status-badge status-badge-${tone} recon-badge`}>{STATUS_LABELS[detail.status]}</span>
        {detail.reason !== null && <span className="recon-reason">{REASON_LABELS[detail.reason] ?? detail.reason}</span>}
        <LineageLink value={detail.settlement_id} className="recon-lineage" label={`Lineage of settlement ${detail.settlement_id}`}>
          Lineage
        </LineageLink>
        <button type="button" className="report-button report-close" onClick={() => setUrlParams({ settlement: '' })}>
          Close
        </button>
      </div>
      <p className="recon-facts">
        {detail.source ?? 'No report'} · reported {formatDay(detail.reported_at)} · ERP posted {formatDay(detail.erp_posted_at)}
        {detail.journal_ids.length > 0 && <> · journal {detail.journal_ids.join(', ')}</>}
        {detail.owner !== null && <> · owned by {detail.owner.name}</>}
      </p>
      {refreshFailed !== undefined && (
        <p className="inline-notice" role="status">
          Showing this settlement as of {formatClock(refreshFailed.at)}; the last refresh failed: {refreshFailed.message}
        </p>
      )}
      {detail.explanation !== null && (
        <p className={`recon-explanation tone-${tone}`} data-testid="recon-explanation">
          {detail.explanation}
        </p>
      )}
      <h4>Settlement against the ERP</h4>
      <ComparisonTable rows={view.comparison} settlementId={detail.settlement_id} />
      <p className="recon-note">Differences up to {view.tolerance} count as matched.</p>
      <h4>Orders ({detail.order_counts.total})</h4>
      <OrdersTable rows={view.orders} />
      {view.refunds.length > 0 && (
        <>
          <h4>Refunds withheld ({view.refunds.length})</h4>
          <RefundsTable rows={view.refunds} />
        </>
      )}
      <h4>ERP postings</h4>
      <PostingsTable rows={view.postings} />
    </div>
  );
}
