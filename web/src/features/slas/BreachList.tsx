import { useMemo, useState } from 'react';
import type { BreachOutcome, SlaPolicyStatus } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams } from '../../url/useUrlParam';
import { LineageLink } from './LineageLink';
import { pageLabel, shapeBreaches, type BreachRow, type KeyChip } from './shapeBreaches';
import { dimensionLabel } from './shapeSlas';
import { useSlaBreaches } from './useSlaQueries';

type Props = { policy: SlaPolicyStatus; group: Readonly<Record<string, string>>; outcome: BreachOutcome | undefined; pageSize: number };

const OUTCOMES: { value: BreachOutcome | undefined; label: string }[] = [
  { value: undefined, label: 'All breaches' },
  { value: 'open_breached', label: 'Still open' },
  { value: 'late', label: 'Finished late' },
];

/** The breaches of a policy (one group, one outcome), most overdue first, a page at a time. */
export function BreachList(props: Props) {
  // A new group or outcome starts on the first page.
  return <BreachPages key={`${JSON.stringify(props.group)}|${props.outcome ?? ''}`} {...props} />;
}

function BreachPages({ policy, group, outcome, pageSize }: Props) {
  const [offset, setOffset] = useState(0);
  const query = useSlaBreaches({ policy: policy.id, group, outcome, limit: pageSize, offset });
  const rows = useMemo(() => (query.data === undefined ? undefined : shapeBreaches(query.data, policy.group_by)), [query.data, policy.group_by]);
  const counts = query.data?.by_outcome;
  const count = (value: BreachOutcome | undefined) => (counts === undefined ? undefined : value === undefined ? counts.late + counts.open_breached : counts[value]);

  return (
    <>
      <div className="sla-tabs" role="group" aria-label="Show breaches">
        {OUTCOMES.map((o) => (
          <button
            key={o.label}
            type="button"
            className="sla-tab"
            aria-pressed={o.value === outcome}
            onClick={() => setUrlParams({ outcome: o.value ?? '' })}
            data-testid={`sla-outcome-${o.value ?? 'all'}`}
          >
            {o.label}
            {count(o.value) !== undefined && <span className="sla-tab-count">{formatCount(count(o.value)!)}</span>}
          </button>
        ))}
      </div>
      {query.isError && query.data !== undefined && (
        <p className="inline-notice" role="status">
          Showing the breaches as of {formatClock(query.data.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      {rows === undefined ? (
        query.isError ? (
          <LoadFailed what="the breaches" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
        ) : (
          <p className="state-message" role="status">
            Loading the breaches…
          </p>
        )
      ) : rows.length === 0 ? (
        <p className="state-message" data-testid="sla-no-breaches">
          {outcome === 'open_breached'
            ? 'Nothing is open past its deadline.'
            : outcome === 'late'
              ? 'Nothing finished late in the window.'
              : `No business transaction broke this policy in the last window; every one finished within ${formatDuration(policy.deadline_ms)} or is still in time.`}
        </p>
      ) : (
        <>
          <BreachTable policy={policy} rows={rows} busy={query.isPlaceholderData} />
          <div className="report-pager">
            <span aria-live="polite">{pageLabel(offset, rows.length, query.data!.total)}</span>
            <button type="button" className="report-button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
              Previous
            </button>
            <button type="button" className="report-button" disabled={offset + rows.length >= query.data!.total} onClick={() => setOffset(offset + pageSize)}>
              Next
            </button>
          </div>
        </>
      )}
    </>
  );
}

function BreachTable({ policy, rows, busy }: { policy: SlaPolicyStatus; rows: BreachRow[]; busy: boolean }) {
  return (
    <div className="table-scroll">
      <table className="report-table" data-testid="sla-breaches" aria-busy={busy}>
        <caption className="visually-hidden">Breaches of {policy.name}, most overdue first, with links to each transaction's lineage</caption>
        <thead>
          <tr>
            <th scope="col">Business keys</th>
            {policy.group_by.length > 0 && <th scope="col">{policy.group_by.map(dimensionLabel).join(' · ')}</th>}
            <th scope="col">Outcome</th>
            <th scope="col">Started</th>
            <th scope="col">Deadline</th>
            <th scope="col">Finished</th>
            <th scope="col">Past the deadline</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="sla-breach">
              <th scope="row">
                <KeyChips keys={r.keys} />
              </th>
              {policy.group_by.length > 0 && <td>{r.group}</td>}
              <td>
                <span className={`status-badge status-badge-${r.outcome.tone}`}>{r.outcome.label}</span>
              </td>
              <td className="numeric">{r.started}</td>
              <td className="numeric">{r.due}</td>
              <td className="numeric">{r.finished}</td>
              <td className="numeric" data-testid="sla-breach-overdue">
                {r.overdue}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Keys shown at once; a payment's chain can carry many more (charge, balance transaction, storefront ids). */
const FIRST_KEYS = 2;

function KeyChips({ keys }: { keys: KeyChip[] }) {
  const chip = (k: KeyChip, primary: boolean) => (
    <li key={k.name}>
      <LineageLink value={k.value} className={primary ? 'sla-key sla-key-primary' : 'sla-key'} label={`Lineage of ${k.name} ${k.value}`}>
        <span className="sla-key-name">{k.name}</span> {k.value}
      </LineageLink>
    </li>
  );
  const rest = keys.slice(FIRST_KEYS);
  return (
    <ul className="sla-keys">
      {keys.slice(0, FIRST_KEYS).map((k, i) => chip(k, i === 0))}
      {rest.length > 0 && (
        <li>
          <details className="sla-more-keys">
            <summary>{rest.length} more</summary>
            <ul className="sla-keys">{rest.map((k) => chip(k, false))}</ul>
          </details>
        </li>
      )}
    </ul>
  );
}
