import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExceptionList, ExceptionSort } from '../../api/contracts';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { BulkActions } from './BulkActions';
import { ExceptionDetailPane } from './ExceptionDetailPane';
import { InboxFilters } from './InboxFilters';
import { InboxTable } from './InboxTable';
import { clearedFilters, hasActiveFilters, parsePage, parseSort, type FilterParam, type InboxFilters as Filters } from './inboxQuery';
import { emptyMessage, inboxRow, pageSummary } from './shapeInbox';
import { useExceptionList } from './useExceptionQueries';
import { useInboxFilters } from './useInboxFilters';
import './exceptions.css';

/**
 * The exceptions inbox: filters bound to the URL, a page of exceptions (oldest first, or newest), rows to select
 * for bulk actions, and the open one (`?exception=<id>`) in a pane with its history, actions and lineage.
 */
export function ExceptionInboxPanel({ panel, range }: PanelProps<'exceptionInbox'>) {
  const { pageSize } = panel.options;
  const filters = useInboxFilters();
  const [sortText] = useUrlParam('sort');
  const [pageText] = useUrlParam('page');
  const [openId, setOpenId] = useUrlParam('exception');
  const sort = parseSort(sortText);
  const page = parsePage(pageText);
  const query = useExceptionList({ filters, sort, page, pageSize, range });
  const rows = useMemo(() => query.data?.exceptions.map(inboxRow) ?? [], [query.data]);
  const active = hasActiveFilters(filters);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // Only rows on screen can be acted on: a selection does not follow rows that left the page.
  const selectedIds = rows.filter((r) => selected.has(r.id)).map((r) => r.id);

  const setFilter = (param: FilterParam, value: string) => setUrlParams({ [param]: value, page: '' });
  const clear = () => setUrlParams(clearedFilters());
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const close = useCallback(() => {
    const id = openId;
    setOpenId('');
    // Back to the row it was opened from, for keyboard users.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-exception-link="${CSS.escape(id)}"]`)?.focus());
  }, [openId, setOpenId]);

  useEffect(() => {
    document.title = openId === '' ? 'Exceptions · Flowlens' : `${rows.find((r) => r.id === openId)?.step ?? 'Exception'} · Exceptions · Flowlens`;
  }, [openId, rows]);

  return (
    <div className="work-screen exc-inbox" data-testid="exception-inbox">
      <div className="work-toolbar">
        <InboxFilters filters={filters} facets={query.data?.facets} active={active} onChange={setFilter} onClear={clear} />
      </div>
      <BulkActions ids={selectedIds} onDone={() => setSelected(new Set())} />
      <InboxSummary list={query.data} sort={sort} stale={query.isError ? query.error.message : undefined} />
      <div className="work-list" aria-busy={query.isFetching}>
        {query.isPending && (
          <p className="state-message" role="status">
            {query.failureCount > 0 ? `Still trying to load exceptions: ${query.failureReason?.message ?? 'no answer yet'}` : 'Loading exceptions…'}
          </p>
        )}
        {query.isError && query.data === undefined && (
          <>
            <LoadFailed what="the exceptions" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
            {active && (
              <button type="button" className="link-button" onClick={clear}>
                Clear filters
              </button>
            )}
          </>
        )}
        {query.data !== undefined && query.data.total === 0 && <EmptyInbox filters={filters} active={active} onClear={clear} />}
        {query.data !== undefined && query.data.total > 0 && rows.length === 0 && <PastTheEnd total={query.data.total} pageSize={pageSize} />}
        {query.data !== undefined && rows.length > 0 && (
          <InboxTable
            rows={rows}
            selected={selected}
            onToggle={toggle}
            onToggleAll={(all) => setSelected(all ? new Set(rows.map((r) => r.id)) : new Set())}
            openId={openId}
            onOpen={(id) => setUrlParams({ exception: id })}
            sort={sort}
            onSort={(next: ExceptionSort) => setUrlParams({ sort: next === 'oldest' ? '' : next, page: '' })}
          />
        )}
      </div>
      {query.data !== undefined && <Pager list={query.data} page={page} pageSize={pageSize} />}
      {openId !== '' && <ExceptionDetailPane id={openId} range={range} onClose={close} />}
    </div>
  );
}

function InboxSummary({ list, sort, stale }: { list: ExceptionList | undefined; sort: ExceptionSort; stale: string | undefined }) {
  return (
    <>
      <p className="panel-summary" data-testid="inbox-summary">
        {list === undefined ? 'Exceptions' : `${pageSummary(list)} · ${sort === 'oldest' ? 'oldest' : 'newest'} first · as of ${formatClock(list.at)}`}
      </p>
      {list?.truncated === true && (
        <p className="inline-notice" role="status">
          More failures happened in this range than one answer reads; the oldest are shown. Pick a shorter range to see the rest.
        </p>
      )}
      {stale !== undefined && list !== undefined && (
        <p className="inline-notice" role="status">
          Showing exceptions as of {formatClock(list.at)}; the last refresh failed: {stale}
        </p>
      )}
    </>
  );
}

function EmptyInbox({ filters, active, onClear }: { filters: Filters; active: boolean; onClear: () => void }) {
  const message = emptyMessage(filters, active);
  return (
    <div className="state-message work-empty" data-testid="inbox-empty">
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

/** A page left behind (its rows were resolved, or a pasted link): say so, and offer the last page there is. */
function PastTheEnd({ total, pageSize }: { total: number; pageSize: number }) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="state-message">
      <p>This page is past the end: the {total} matching exceptions fit on {last === 1 ? 'one page' : `${last} pages`}.</p>
      <button type="button" className="link-button" onClick={() => setUrlParams({ page: last === 1 ? '' : String(last) })}>
        Go to {last === 1 ? 'the first page' : `page ${last}`}
      </button>
    </div>
  );
}

function Pager({ list, page, pageSize }: { list: ExceptionList; page: number; pageSize: number }) {
  const pages = Math.max(1, Math.ceil(list.total / pageSize));
  if (pages <= 1 && page === 1) return null;
  const go = (next: number) => setUrlParams({ page: next === 1 ? '' : String(next) });
  return (
    <nav className="work-pager" aria-label="Pages of exceptions">
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
