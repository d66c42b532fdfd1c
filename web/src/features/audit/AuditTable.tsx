import type { AuditLine } from './shapeAudit';

type Props = {
  lines: readonly AuditLine[];
  /** Narrow the trail to one actor, action or target (a click on it in a row). */
  onFilter: (param: 'actor' | 'action' | 'target', value: string) => void;
};

/** The trail as a table, newest first; actor, action and target narrow the trail to themselves when clicked. */
export function AuditTable({ lines, onFilter }: Props) {
  return (
    <div className="table-scroll">
      <table className="audit-table" data-testid="audit-table">
        <caption className="visually-hidden">Audited requests, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">From</th>
            <th scope="col">Result</th>
            <th scope="col">Status</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.key} data-testid="audit-row" data-result={line.result} data-action={line.action}>
              <td className="audit-time">
                <time dateTime={line.iso} title={line.local}>
                  {line.utc}
                </time>
              </td>
              <td data-testid="audit-actor">
                <button type="button" className="link-button audit-pick" title={`Show only ${line.actor}`} onClick={() => onFilter('actor', line.actorValue)}>
                  {line.actor}
                </button>
                <span className="audit-sub">{line.actorKind}</span>
              </td>
              <td data-testid="audit-action">
                <button type="button" className="link-button audit-pick" title={`${line.request} — show only ${line.action}`} onClick={() => onFilter('action', line.action)}>
                  <code>{line.action}</code>
                </button>
              </td>
              <td data-testid="audit-target">
                {line.target === '' ? (
                  <span className="muted">–</span>
                ) : (
                  <button type="button" className="link-button audit-pick" title={`Show only ${line.target}`} onClick={() => onFilter('target', line.target)}>
                    <code>{line.target}</code>
                  </button>
                )}
              </td>
              <td className="audit-from">{line.from}</td>
              <td>
                <span className={`audit-badge audit-result-${line.result}`} data-testid="audit-result">
                  {line.resultLabel}
                </span>
              </td>
              <td className="audit-status">{line.status}</td>
              <td className="audit-detail" title={line.detail}>
                {line.detail === '' ? <span className="muted">–</span> : line.detail}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
