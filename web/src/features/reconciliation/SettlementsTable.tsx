import { setUrlParams, urlWithParam } from '../../url/useUrlParam';
import type { SettlementRow } from './shapeReconciliation';

/**
 * Settlements newest first: the deposit (net of the provider's fees) and the fees, what it settles, what the ERP
 * booked (gross and the net it expects), the difference and why. A settlement's id opens it below.
 */
export function SettlementsTable({ rows, selected, busy }: { rows: SettlementRow[]; selected: string; busy: boolean }) {
  return (
    <div className="table-scroll">
      <table className="report-table" data-testid="recon-settlements" aria-busy={busy}>
        <caption className="visually-hidden">Settlements against the ERP, newest first; open a settlement to see its orders, refunds and ERP postings</caption>
        <thead>
          <tr>
            <th scope="col">Settlement</th>
            <th scope="col">Reported</th>
            <th scope="col">Settles</th>
            <th scope="col" className="numeric">Deposited (net)</th>
            <th scope="col" className="numeric">Fees</th>
            <th scope="col" className="numeric">ERP gross</th>
            <th scope="col" className="numeric">ERP net</th>
            <th scope="col" className="numeric">Difference</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={`report-row tone-${r.status.tone}${r.id === selected ? ' report-row-current' : ''}`} data-testid={`recon-settlement-${r.id}`}>
              <th scope="row">
                <a
                  className="recon-id"
                  href={urlWithParam('settlement', r.id)}
                  aria-current={r.id === selected ? 'true' : undefined}
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                    e.preventDefault();
                    setUrlParams({ settlement: r.id });
                  }}
                >
                  {r.id}
                </a>
                <span className="recon-sub">{r.source}</span>
              </th>
              <td className="nowrap">{r.reportedAt}</td>
              <td className="nowrap">{r.settles}</td>
              <td className="numeric">{r.deposited}</td>
              <td className="numeric">{r.fees}</td>
              <td className="numeric">{r.erpGross}</td>
              <td className="numeric">{r.erpNet}</td>
              <td className={`numeric recon-text-${r.differenceTone}`} data-testid="recon-difference">
                {r.difference}
              </td>
              <td>
                <span className={`status-badge status-badge-${r.status.tone} recon-badge`}>{r.status.label}</span>
                {r.reason !== null && (
                  <span className="recon-reason" title={r.explanation ?? undefined} data-testid="recon-reason">
                    {r.reason}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
