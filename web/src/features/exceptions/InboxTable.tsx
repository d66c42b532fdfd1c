import { useEffect, useRef, type MouseEvent } from 'react';
import type { ExceptionSort } from '../../api/contracts';
import { urlWithParam } from '../../url/useUrlParam';
import type { InboxRow } from './shapeInbox';

type Props = {
  rows: readonly InboxRow[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (select: boolean) => void;
  openId: string;
  onOpen: (id: string) => void;
  sort: ExceptionSort;
  onSort: (sort: ExceptionSort) => void;
};

/**
 * The exceptions of one page. Fixed column widths (table-layout: fixed) so a refresh never reflows the table;
 * long values are cut with an ellipsis and shown whole on hover and in the detail pane.
 */
export function InboxTable({ rows, selected, onToggle, onToggleAll, openId, onOpen, sort, onSort }: Props) {
  const selectedOnPage = rows.filter((r) => selected.has(r.id)).length;
  const all = rows.length > 0 && selectedOnPage === rows.length;
  const some = selectedOnPage > 0 && !all;
  const allBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allBox.current !== null) allBox.current.indeterminate = some;
  }, [some]);

  return (
    <div className="table-scroll">
      <table className="work-table exc-table" data-testid="exception-table">
        <caption className="visually-hidden">Exceptions, {sort === 'oldest' ? 'oldest' : 'newest'} first</caption>
        <colgroup>
          <col className="exc-col-select" />
          <col className="exc-col-what" />
          <col className="exc-col-system" />
          <col className="exc-col-error" />
          <col className="exc-col-keys" />
          <col className="exc-col-owner" />
          <col className="exc-col-assignee" />
          <col className="exc-col-age" />
          <col className="exc-col-state" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">
              <input ref={allBox} type="checkbox" checked={all} onChange={(e) => onToggleAll(e.target.checked)} aria-label="Select every exception on this page" disabled={rows.length === 0} />
            </th>
            <th scope="col">Exception</th>
            <th scope="col">System</th>
            <th scope="col">Error</th>
            <th scope="col">Business keys</th>
            <th scope="col">Owner</th>
            <th scope="col">Assignee</th>
            <th scope="col" aria-sort={sort === 'oldest' ? 'descending' : 'ascending'}>
              <button type="button" className="exc-sort" onClick={() => onSort(sort === 'oldest' ? 'newest' : 'oldest')} title={sort === 'oldest' ? 'Oldest first; show the newest first' : 'Newest first; show the oldest first'}>
                Age <span aria-hidden="true">{sort === 'oldest' ? '▼' : '▲'}</span>
                <span className="visually-hidden">{sort === 'oldest' ? ', oldest first' : ', newest first'}</span>
              </button>
            </th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Row key={row.id} row={row} checked={selected.has(row.id)} isOpen={row.id === openId} onToggle={onToggle} onOpen={onOpen} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ row, checked, isOpen, onToggle, onOpen }: { row: InboxRow; checked: boolean; isOpen: boolean; onToggle: (id: string) => void; onOpen: (id: string) => void }) {
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(row.id);
  };
  return (
    <tr className={isOpen ? 'work-row work-row-open' : checked ? 'work-row work-row-selected' : 'work-row'} data-testid="exception-row" data-id={row.id} data-state={row.state} data-correlation={row.correlationId}>
      <td>
        <input type="checkbox" checked={checked} onChange={() => onToggle(row.id)} aria-label={`Select ${row.step} of ${row.correlationId}`} />
      </td>
      <td>
        <span className={`work-badge exc-kind exc-kind-${row.kind}`}>{row.kindLabel}</span>
        <a className="cell-cut exc-open-link" href={urlWithParam('exception', row.id)} onClick={open} aria-current={isOpen ? 'true' : undefined} data-exception-link={row.id} title={`Open ${row.step} of ${row.correlationId}`}>
          {row.step}
        </a>
        <span className="cell-sub" title={`${row.flow} · ${row.correlationId}`}>
          {row.flow} · <code>{row.correlationId}</code>
        </span>
      </td>
      <td className="cell-cut" title={row.route}>
        {row.route}
      </td>
      <td>
        <span className="cell-cut exc-code" title={row.errorCode}>
          {row.errorCode}
        </span>
        {row.errorClass !== '' && <span className={`work-badge exc-class-${row.errorClass}`}>{row.errorClass}</span>}
        {row.errorMessage !== '' && (
          <span className="cell-sub" title={row.errorMessage}>
            {row.errorMessage}
          </span>
        )}
      </td>
      <td className="cell-cut exc-keys" title={row.keys}>
        {row.keys === '' ? <span className="muted">–</span> : row.keys}
      </td>
      <td className="cell-cut" title={row.owner}>
        {row.owner}
      </td>
      <td className="cell-cut" title={row.assignee} data-testid="exception-assignee">
        {row.assignee === '' ? <span className="muted">Unassigned</span> : row.assignee}
      </td>
      <td className="exc-age">
        {row.age}
        <span className="cell-sub">{row.bucketLabel}</span>
      </td>
      <td>
        <span className={`work-badge exc-state-${row.state}`} data-testid="exception-state">
          {row.stateLabel}
        </span>
      </td>
    </tr>
  );
}
