import { useEffect, useMemo, useRef } from 'react';
import type { BreachOutcome, SlaPolicyStatus } from '../../api/contracts';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { AttainmentOverTime } from './AttainmentOverTime';
import { BreachList } from './BreachList';
import { SlaGroupsTable } from './SlaGroupsTable';
import { DRILL_PARAMS } from './SlaPoliciesPanel';
import { groupParam, parseGroupParam } from './shapeBreaches';
import { groupLabel, shapePolicy } from './shapeSlas';
import { useSlaStatus } from './useSlaQueries';
import './slas.css';

/**
 * The policy picked in the Policies panel (`?policy=`): what it measures, its figures, attainment over its
 * window, each group (`?group=`), and every business transaction that finished late or is still open past its
 * deadline (`?outcome=`), with links to their lineage.
 */
export function SlaBreachesPanel({ panel }: PanelProps<'slaBreaches'>) {
  const [policyId] = useUrlParam('policy');
  const query = useSlaStatus();
  const policy = query.data?.policies.find((p) => p.id === policyId);

  if (policyId === '') {
    const breaching = (query.data?.policies ?? []).filter((p) => p.breaching);
    return (
      <div className="state-message" data-testid="sla-pick">
        <p>Pick a policy in the table above to see its attainment over time, its groups and the business keys breaching it.</p>
        {breaching.length > 0 && (
          <p>
            Breaching now:{' '}
            {breaching.map((p, i) => (
              <span key={p.id}>
                {i > 0 && ', '}
                <button type="button" className="link-button" onClick={() => setUrlParams({ policy: p.id, ...DRILL_PARAMS })}>
                  {p.name}
                </button>
              </span>
            ))}
          </p>
        )}
      </div>
    );
  }
  if (query.data === undefined) {
    return query.isError ? (
      <LoadFailed what="the SLA policies" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
    ) : (
      <p className="state-message" role="status">
        Loading the policy…
      </p>
    );
  }
  if (policy === undefined) {
    return (
      <p className="state-message state-message-error" role="alert" data-testid="sla-unknown-policy">
        There is no SLA policy “{policyId}”. The policies are {query.data.policies.map((p) => p.id).join(', ')}.{' '}
        <button type="button" className="link-button" onClick={() => setUrlParams({ policy: '', ...DRILL_PARAMS })}>
          Clear the selection
        </button>
      </p>
    );
  }
  return <PolicyDrill key={policy.id} policy={policy} pageSize={panel.options.pageSize} />;
}

function PolicyDrill({ policy, pageSize }: { policy: SlaPolicyStatus; pageSize: number }) {
  const [groupText] = useUrlParam('group');
  const [outcomeText] = useUrlParam('outcome');
  const group = useMemo(() => parseGroupParam(groupText, policy.group_by), [groupText, policy.group_by]);
  const outcome: BreachOutcome | undefined = outcomeText === 'late' || outcomeText === 'open_breached' ? outcomeText : undefined;
  const row = shapePolicy(policy);
  const heading = useRef<HTMLHeadingElement>(null);
  const hasGroup = Object.keys(group).length > 0;

  // Picked from the table: bring the drill-down into view and move focus to it (a pasted link just shows it).
  useEffect(() => {
    if (!document.activeElement?.closest('[data-kind="slaPolicies"]')) return;
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, []);

  return (
    <div className="sla-drill" data-testid="sla-drill">
      <div className="report-drill-header">
        <h3 ref={heading} tabIndex={-1} data-testid="sla-drill-title">
          {policy.name}
        </h3>
        <span className={`status-badge status-badge-${row.status.tone}`}>
          {row.status.label}: {row.status.detail}
        </span>
        <button type="button" className="report-button report-close" onClick={() => setUrlParams({ policy: '', ...DRILL_PARAMS })}>
          Close
        </button>
      </div>
      {policy.description !== null && <p className="sla-description">{policy.description}</p>}
      <p className="sla-measure-line">
        <code>{row.measures}</code> · {row.flow} · owned by {row.owner} · {row.severity}
      </p>
      <ul className="sla-figures" aria-label={`${policy.name}: figures over the last ${row.window}`}>
        <Figure label={`Attainment (objective ${row.objective})`} value={row.attainment} tone={row.attainmentTone} testId="sla-drill-attainment" />
        <Figure label="Error budget" value={row.budget} tone={row.budgetTone} />
        <Figure label={row.burn === null ? 'Burn rate' : `Burn ${row.burn.shortWindow} / ${row.burn.longWindow}`} value={row.burn === null ? 'no alert' : `${row.burn.short} / ${row.burn.long}`} tone={row.burn?.alerting ? 'bad' : 'none'} detail={row.burn === null ? undefined : `alerts above ${row.burn.threshold}`} testId="sla-drill-burn" />
        <Figure label="Finished late" value={formatCount(policy.late)} tone={policy.late > 0 ? 'warn' : 'none'} />
        <Figure label="Open past the deadline" value={formatCount(policy.open_breached)} tone={policy.open_breached > 0 ? 'bad' : 'none'} />
        <Figure label="Met" value={formatCount(policy.met)} tone="none" detail={`${formatCount(policy.in_progress)} in progress`} />
      </ul>
      <h4>
        Attainment over the last {row.window}
        {hasGroup && ` · ${groupLabel(group, policy.group_by)}`}
      </h4>
      <AttainmentOverTime policy={policy.id} group={group} />
      {policy.group_by.length > 0 && (
        <>
          <h4>By {policy.group_by.join(', ')}</h4>
          <SlaGroupsTable policy={policy} selected={group} onPick={(next) => setUrlParams({ group: groupParam(next) })} />
        </>
      )}
      <h4>
        Breaches{hasGroup && ` · ${groupLabel(group, policy.group_by)}`}
        {hasGroup && (
          <>
            {' '}
            <button type="button" className="link-button sla-inline-button" onClick={() => setUrlParams({ group: '' })}>
              show all groups
            </button>
          </>
        )}
      </h4>
      <BreachList policy={policy} group={group} outcome={outcome} pageSize={pageSize} />
    </div>
  );
}

function Figure({ label, value, tone, detail, testId }: { label: string; value: string; tone: string; detail?: string; testId?: string }) {
  return (
    <li className={`tile tone-${tone}`} data-testid={testId}>
      <span className="tile-label">{label}</span>
      <span className="tile-figure">{value}</span>
      {detail !== undefined && <span className="tile-detail">{detail}</span>}
    </li>
  );
}
