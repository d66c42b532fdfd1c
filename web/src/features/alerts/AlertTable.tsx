import type { MouseEvent } from 'react';
import type { AlertDetail } from '../../api/contracts';
import { hrefWith } from './links';
import { lastNotifications, type AlertRow } from './shapeAlerts';

type Props = {
  rows: readonly AlertRow[];
  /** Each row's detail as far as loaded (for its notifications), by alert id. */
  details: ReadonlyMap<string, AlertDetail>;
  openId: string;
  onOpen: (id: string) => void;
  onSla: (href: string) => void;
  caption: string;
};

/**
 * The alerts of one page: severity, what and where, whose, the state and for how long, the last notification each
 * receiver got, and the breach on the SLA screen. Fixed column widths, so a refresh never reflows the table.
 */
export function AlertTable({ rows, details, openId, onOpen, onSla, caption }: Props) {
  return (
    <div className="table-scroll">
      <table className="work-table alert-table" data-testid="alert-table">
        <caption className="visually-hidden">{caption}</caption>
        <colgroup>
          <col className="alert-col-severity" />
          <col className="alert-col-what" />
          <col className="alert-col-owner" />
          <col className="alert-col-state" />
          <col className="alert-col-age" />
          <col className="alert-col-notified" />
          <col className="alert-col-sla" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Alert</th>
            <th scope="col">Owner</th>
            <th scope="col">State</th>
            <th scope="col">For</th>
            <th scope="col">Last notification</th>
            <th scope="col">Breach</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Row key={row.id} row={row} detail={details.get(row.id)} isOpen={row.id === openId} onOpen={onOpen} onSla={onSla} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function plainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  event.preventDefault();
  return true;
}

function Row({ row, detail, isOpen, onOpen, onSla }: { row: AlertRow; detail: AlertDetail | undefined; isOpen: boolean; onOpen: (id: string) => void; onSla: (href: string) => void }) {
  return (
    <tr className={isOpen ? 'work-row work-row-open' : 'work-row'} data-testid="alert-row" data-id={row.id} data-state={row.state} data-severity={row.severity}>
      <td>
        <span className={`work-badge alert-sev alert-sev-${row.severity}`}>{row.severityLabel}</span>
      </td>
      <td>
        <a
          className="cell-cut alert-open-link"
          href={hrefWith({ alert: row.id })}
          onClick={(e) => plainClick(e) && onOpen(row.id)}
          aria-current={isOpen ? 'true' : undefined}
          data-alert-link={row.id}
          title={row.summary}
        >
          {row.name}
        </a>
        {/* The group first: alerts of one rule and policy differ only by it (one per channel). */}
        <span className="cell-sub" title={row.group === '' ? row.policyName : `${row.group} · ${row.policyName}`}>
          {row.group !== '' && <code className="alert-group">{row.group}</code>}
          {row.policyName}
        </span>
      </td>
      <td className="cell-cut" title={row.owner}>
        {row.owner}
      </td>
      <td>
        <span className={`work-badge alert-state-${row.state}`} data-testid="alert-state">
          {row.stateLabel}
        </span>
        {row.muted !== '' && (
          <span className="cell-sub alert-muted" title={row.muted}>
            {row.muted}
          </span>
        )}
      </td>
      <td className="alert-age">
        {row.age}
        <span className="cell-sub alert-since">{row.since}</span>
      </td>
      <td>
        {row.fired ? <Receivers detail={detail} /> : <span className="muted">Nothing is sent before it fires</span>}
      </td>
      <td>
        <a className="alert-sla-link" href={row.slaHref} onClick={(e) => plainClick(e) && onSla(row.slaHref)}>
          SLA breach
        </a>
      </td>
    </tr>
  );
}

function Receivers({ detail }: { detail: AlertDetail | undefined }) {
  if (detail === undefined) return <span className="muted">…</span>;
  const statuses = lastNotifications(detail);
  if (statuses.length === 0) return <span className="muted">No route sends it</span>;
  return (
    <ul className="alert-receivers" data-testid="alert-receivers">
      {statuses.map((s) => (
        <li key={s.receiver} className={`alert-receiver alert-receiver-${s.tone}`} title={`${s.receiver}: ${s.text}`}>
          <span className="alert-receiver-name">{s.receiver}</span> {s.short}
        </li>
      ))}
    </ul>
  );
}
