import type { PlannedItem } from '../../api/contracts';
import { previewItem } from './shapeDryRun';

/**
 * The events of a dry run: each sent or skipped, with the reason it is skipped, and for each one sent exactly what
 * would go out — method, URL, headers (secret values as the API redacts them), body — behind a disclosure.
 */
export function PreviewItems({ items }: { items: readonly PlannedItem[] }) {
  return (
    <ol className="replay-items" data-testid="dry-run-items">
      {items.map((raw) => {
        const item = previewItem(raw);
        const head = (
          <>
            <span className={`work-badge replay-tone-${item.action === 'send' ? 'active' : 'muted'}`}>{item.action}</span>
            <span className="replay-item-step">{item.step}</span>
            <code className="replay-item-corr" title={`${item.flow} · ${item.correlationId}`}>
              {item.correlationId}
            </code>
            <span className="replay-item-target">→ {item.target}</span>
            <span className="replay-item-when">{item.occurred}</span>
            {item.reason !== '' && <span className="replay-item-reason">{item.reason}</span>}
          </>
        );
        if (item.request === null) {
          return (
            <li key={item.key} className="replay-item" data-testid="dry-run-item" data-action={item.action} data-event={item.eventId}>
              <div className="replay-item-head">{head}</div>
            </li>
          );
        }
        const request = item.request;
        return (
          <li key={item.key} className="replay-item" data-testid="dry-run-item" data-action={item.action} data-event={item.eventId}>
            <details>
              <summary className="replay-item-head">{head}</summary>
              <div className="replay-request" data-testid="dry-run-request">
                <p className="replay-request-line">
                  <strong>{request.method}</strong> <code>{request.url}</code>
                </p>
                <table className="replay-headers">
                  <caption className="visually-hidden">Headers</caption>
                  <tbody>
                    {request.headers.map((h) => (
                      <tr key={h.name}>
                        <th scope="row">{h.name}</th>
                        <td>
                          <code>{h.value}</code>
                          {h.redacted && <span className="muted"> (secret, not shown)</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <pre className="replay-body" tabIndex={0} aria-label="Body">
                  {item.body}
                </pre>
                {request.lookup !== null && (
                  <p className="muted replay-lookup">
                    If the answer is lost, the outcome is asked with <code>{request.lookup.method} {request.lookup.url}</code>; never by sending again.
                  </p>
                )}
              </div>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
