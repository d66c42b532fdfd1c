import { useState } from 'react';
import { formatCount } from '../../format/number';
import { LineageLink } from '../slas/LineageLink';
import type { ComparisonRow, OrderRow, PostingRow, RefundRow } from './shapeSettlement';

/** Orders shown before "show all": a marketplace settlement can hold thousands. */
const FIRST_ORDERS = 50;

export function ComparisonTable({ rows, settlementId }: { rows: ComparisonRow[]; settlementId: string }) {
  return (
    <div className="table-scroll">
      <table className="report-table recon-comparison" data-testid="recon-comparison">
        <caption className="visually-hidden">Settlement {settlementId} against the ERP&apos;s posting of it, part by part</caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col" className="numeric">Settlement</th>
            <th scope="col" className="numeric">ERP</th>
            <th scope="col" className="numeric">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.part} className={i === rows.length - 1 ? 'recon-total' : undefined}>
              <th scope="row">{r.part}</th>
              <td className="numeric">{r.settlement}</td>
              <td className="numeric">{r.erp}</td>
              <td className={`numeric recon-text-${r.tone}`}>{r.difference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OrdersTable({ rows }: { rows: OrderRow[] }) {
  const [all, setAll] = useState(false);
  if (rows.length === 0) return <p className="state-message">This settlement names no orders (a payout is settled on its net alone).</p>;
  const shown = all ? rows : rows.slice(0, FIRST_ORDERS);
  return (
    <>
      <div className="table-scroll">
        <table className="report-table" data-testid="recon-orders">
          <caption className="visually-hidden">Each order&apos;s sale on the settlement against its ERP invoice, problems first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Against the invoice</th>
              <th scope="col" className="numeric">Sale on the settlement</th>
              <th scope="col" className="numeric">ERP invoice</th>
              <th scope="col" className="numeric">Difference</th>
              <th scope="col" className="numeric">Refunded here</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((o) => (
              <tr key={o.orderId}>
                <th scope="row">
                  <LineageLink value={o.orderId} className="recon-key" label={`Lineage of order ${o.orderId}`} />
                </th>
                <td>
                  <span className={`status-badge status-badge-${o.status.tone} recon-badge`}>{o.status.label}</span>
                </td>
                <td className="numeric">{o.sale}</td>
                <td className="numeric">{o.invoice}</td>
                <td className="numeric">{o.difference}</td>
                <td className="numeric">{o.refunded}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > FIRST_ORDERS && (
        <p className="recon-note">
          <button type="button" className="link-button" onClick={() => setAll(!all)}>
            {all ? `Show the first ${FIRST_ORDERS} only` : `Show all ${formatCount(rows.length)} orders`}
          </button>
        </p>
      )}
    </>
  );
}

export function RefundsTable({ rows }: { rows: RefundRow[] }) {
  return (
    <div className="table-scroll">
      <table className="report-table" data-testid="recon-refunds">
        <caption className="visually-hidden">Refunds the settlement withholds from the deposit</caption>
        <thead>
          <tr>
            <th scope="col">Refund</th>
            <th scope="col">Order</th>
            <th scope="col" className="numeric">Amount</th>
            <th scope="col" className="numeric">Lines</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.refundId ?? ''}:${r.orderId ?? ''}`}>
              <th scope="row">{r.refundId === null ? <span className="recon-sub">no refund id</span> : <LineageLink value={r.refundId} className="recon-key" label={`Lineage of refund ${r.refundId}`} />}</th>
              <td>{r.orderId === null ? '–' : <LineageLink value={r.orderId} className="recon-key" label={`Lineage of order ${r.orderId}`} />}</td>
              <td className="numeric">{r.amount}</td>
              <td className="numeric">{formatCount(r.lines)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PostingsTable({ rows }: { rows: PostingRow[] }) {
  if (rows.length === 0) return <p className="state-message">The ERP has not posted this settlement yet. It shows here once its journal entry arrives.</p>;
  return (
    <div className="table-scroll">
      <table className="report-table" data-testid="recon-postings">
        <caption className="visually-hidden">The ERP&apos;s journal entry for the settlement, line by line</caption>
        <thead>
          <tr>
            <th scope="col">Journal</th>
            <th scope="col">Account</th>
            <th scope="col">Books</th>
            <th scope="col" className="numeric">Amount</th>
            <th scope="col">Posted</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.key}>
              <th scope="row">{p.journalId === null ? '–' : <LineageLink value={p.journalId} className="recon-key" label={`Lineage of journal ${p.journalId}`} />}</th>
              <td>{p.account}</td>
              <td>{p.role}</td>
              <td className="numeric">{p.amount}</td>
              <td className="nowrap">{p.postedAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
