import { ApiRequestError } from '../../api/client';
import { SEARCH_EXAMPLES, describeDepth, inventoryHref, notFoundAdvice, parseSkuLocation } from './searchHints';

/** Before any search: what the explorer does and what it can find. */
export function LineageIntro() {
  return (
    <div className="lx-intro" data-testid="lineage-intro">
      <p>
        Search a business key to see the whole chain it belongs to: every system it crossed, how long each hop took, the amount at
        each step, and the steps still missing with how long they have been waiting. Keys the events carry are followed to the
        linked order, refund, payment, settlement and journal.
      </p>
      <table className="figures-table lx-examples">
        <caption className="visually-hidden">Keys you can search, with an example of each</caption>
        <thead>
          <tr>
            <th scope="col">You have</th>
            <th scope="col">Looks like</th>
          </tr>
        </thead>
        <tbody>
          {SEARCH_EXAMPLES.map((e) => (
            <tr key={e.what}>
              <th scope="row">{e.what}</th>
              <td>
                <code>{e.example}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        A SKU at a location is not one transaction but every sale, receipt and transfer that moved it: <code>SKU@location</code> shows the
        latest 20 of them, each from the till or the goods receipt to the ERP and every channel.
      </p>
    </div>
  );
}

export function LineageSearching({ keyValue, failureCount, failureReason }: { keyValue: string; failureCount: number; failureReason: Error | null }) {
  return (
    <p className="state-message lx-state" role="status">
      Searching for <code>{keyValue}</code>…
      {failureCount > 0 && ` Trying again after: ${failureReason?.message ?? 'no answer'}`}
    </p>
  );
}

type FailedProps = { keyValue: string; depth: number; error: Error; onRetry: () => void };

/** A search that found nothing, or could not be made: what happened and what to try next. */
export function LineageFailed({ keyValue, depth, error, onRetry }: FailedProps) {
  if (error instanceof ApiRequestError && error.status === 404) return <NotFound keyValue={keyValue} depth={depth} onRetry={onRetry} />;
  const badRequest = error instanceof ApiRequestError && error.status === 400;
  return (
    <div className="state-message state-message-error lx-state" role="alert" data-testid="lineage-error">
      <p>
        Could not trace <code>{keyValue}</code>: {error.message}
      </p>
      <p>
        {badRequest ? 'Change the key and search again.' : 'The search is retried a few times by itself; if it keeps failing, check that the Flowlens server is running.'}{' '}
        {!badRequest && (
          <button type="button" className="link-button" onClick={onRetry}>
            Try again
          </button>
        )}
      </p>
    </div>
  );
}

function NotFound({ keyValue, depth, onRetry }: { keyValue: string; depth: number; onRetry: () => void }) {
  const stock = parseSkuLocation(keyValue);
  return (
    <div className="state-message lx-state" data-testid="lineage-not-found">
      <p>
        No transaction carries <code>{keyValue}</code> in anything Flowlens has stored (searched {describeDepth(depth)}).
      </p>
      {stock !== undefined && (
        <p>
          No stock movement of <strong>{stock.sku}</strong> at <strong>{stock.location}</strong> has arrived: check the SKU and the
          location id (both match exactly), or <a href={inventoryHref(stock)}>open {stock.sku} at {stock.location} on Inventory</a> to see
          whether stock there is stale.
        </p>
      )}
      <ul className="lx-advice">
        {notFoundAdvice(keyValue).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={onRetry}>
        Search again
      </button>
    </div>
  );
}
