import { useMemo } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, urlWithParam, useUrlParam } from '../../url/useUrlParam';
import { PolicyFilterBar } from './PolicyFilterBar';
import { filterOptions, shapePolicies, type PolicyFilters, type PolicyRow } from './shapeSlas';
import { useSlaStatus } from './useSlaQueries';
import './slas.css';

/** Parameters of the drill-down that mean nothing for another policy. */
export const DRILL_PARAMS = { group: '', outcome: '' } as const;

/**
 * Every SLA policy evaluated now over its window: attainment against the objective, error budget left, burn
 * rate over the short and long window against the alert threshold, late and still-open breaches, status.
 * Filters live in the URL; picking a policy (`?policy=`) drills down in the Breaches panel.
 */
export function SlaPoliciesPanel(_: PanelProps<'slaPolicies'>) {
  const query = useSlaStatus();
  const [owner] = useUrlParam('owner');
  const [flow] = useUrlParam('flow');
  const [severity] = useUrlParam('severity');
  const [breaching] = useUrlParam('breaching');
  const [selected] = useUrlParam('policy');
  const filters: PolicyFilters = { owner, flow, severity, breachingOnly: breaching === '1' };
  const policies = query.data?.policies;
  const rows = useMemo(() => (policies === undefined ? undefined : shapePolicies(policies, { owner, flow, severity, breachingOnly: breaching === '1' })), [policies, owner, flow, severity, breaching]);
  const options = useMemo(() => filterOptions(policies ?? []), [policies]);

  if (query.data === undefined || rows === undefined) {
    return (
      <div className="sla-loading" aria-busy={query.isPending}>
        {query.isError ? (
          <LoadFailed what="the SLA policies" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
        ) : (
          <p className="state-message" role="status">
            Evaluating the SLA policies…
          </p>
        )}
      </div>
    );
  }
  const all = query.data.policies;
  const breachingCount = all.filter((p) => p.breaching).length;
  return (
    <>
      <p className="panel-summary" data-testid="sla-summary">
        {formatCount(all.length)} {all.length === 1 ? 'policy' : 'policies'}, <strong>{formatCount(breachingCount)} breaching</strong> · evaluated at {formatClock(query.data.at)} over each policy's window
      </p>
      {query.isError && (
        <p className="inline-notice" role="status">
          Showing the evaluation of {formatClock(query.data.at)}; the last refresh failed: {query.error.message}
        </p>
      )}
      <PolicyFilterBar filters={filters} options={options} onChange={(updates) => setUrlParams(updates)} />
      {all.length === 0 ? (
        <p className="state-message" data-testid="sla-no-policies">
          No SLA policies are defined. Add one file per policy to <code>dashboards/slas/</code> (see <code>dashboards/README.md</code>) and restart the server.
        </p>
      ) : rows.length === 0 ? (
        <p className="state-message" data-testid="sla-none-match">
          No policy matches these filters.{' '}
          <button type="button" className="link-button" onClick={() => setUrlParams({ owner: '', flow: '', severity: '', breaching: '' })}>
            Clear filters
          </button>
        </p>
      ) : (
        <PolicyTable rows={rows} selected={selected} />
      )}
    </>
  );
}

function PolicyTable({ rows, selected }: { rows: PolicyRow[]; selected: string }) {
  return (
    <div className="table-scroll">
      <table className="report-table" data-testid="sla-policies">
        <caption className="visually-hidden">SLA policies: attainment, error budget, burn rate and breaches; pick a policy to see its breaches</caption>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col" className="numeric">Attainment</th>
            <th scope="col" className="numeric">Error budget</th>
            <th scope="col">Burn rate</th>
            <th scope="col" className="numeric">Late</th>
            <th scope="col" className="numeric">Open past deadline</th>
            <th scope="col" className="numeric">In progress</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <PolicyTableRow key={row.id} row={row} current={row.id === selected} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PolicyTableRow({ row, current }: { row: PolicyRow; current: boolean }) {
  return (
    <tr className={`report-row tone-${row.status.tone}${current ? ' report-row-current' : ''}`} data-testid={`sla-policy-${row.id}`}>
      <th scope="row" className="sla-policy-cell">
        <a
          className="sla-policy-name"
          href={urlWithParam('policy', row.id)}
          aria-current={current ? 'true' : undefined}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            setUrlParams({ policy: row.id, ...DRILL_PARAMS });
          }}
        >
          {row.name}
        </a>
        <span className="sla-measure">{row.measures}</span>
        <span className="sla-meta">
          {row.flow} · {row.owner} · <span className={`sla-severity sla-severity-${row.severity}`}>{row.severity}</span>
        </span>
      </th>
      <td className="numeric nowrap">
        <span className={`sla-figure sla-text-${row.attainmentTone}`} data-testid="sla-attainment">
          {row.attainment}
        </span>
        <span className="sla-sub">
          objective {row.objective} over {row.window}
        </span>
      </td>
      <td className="numeric">
        <span className={`sla-text-${row.budgetTone}`} data-testid="sla-budget">
          {row.budget}
        </span>
      </td>
      <td className="nowrap" data-testid="sla-burn">
        {row.burn === null ? (
          <span className="sla-sub">no burn-rate alert</span>
        ) : (
          <>
            <span className={row.burn.alerting ? 'sla-text-bad' : undefined}>
              {row.burn.shortWindow} {row.burn.short} · {row.burn.longWindow} {row.burn.long}
            </span>
            <span className="sla-sub">{row.burn.alerting ? `both above ${row.burn.threshold}: alerting` : `alerts above ${row.burn.threshold}`}</span>
          </>
        )}
      </td>
      <td className="numeric" data-testid="sla-late">
        {formatCount(row.late)}
      </td>
      <td className="numeric" data-testid="sla-open">
        <span className={row.openBreached > 0 ? 'sla-text-bad' : undefined}>{formatCount(row.openBreached)}</span>
      </td>
      <td className="numeric">{formatCount(row.inProgress)}</td>
      <td className="nowrap">
        <span className={`status-badge status-badge-${row.status.tone}`} data-testid="sla-status">
          {row.status.label}
        </span>
        <span className="sla-sub" data-testid="sla-status-detail">
          {row.status.detail}
        </span>
        {row.worstGroup !== null && <span className="sla-sub">worst: {row.worstGroup}</span>}
      </td>
    </tr>
  );
}
