import { useState } from 'react';
import type { SlaPolicyStatus } from '../../api/contracts';
import { formatCount } from '../../format/number';
import { budgetTone, dimensionLabel, formatBudget, formatPercent, inGroup } from './shapeSlas';

/** Groups shown before "show all": enough for channels and systems; locations can be hundreds. */
const FIRST_GROUPS = 10;

type Props = {
  policy: SlaPolicyStatus;
  selected: Readonly<Record<string, string>>;
  onPick: (group: Record<string, string>) => void;
};

/** Each group of a grouped policy held to the objective on its own, worst first; a group's breaches one click away. */
export function SlaGroupsTable({ policy, selected, onPick }: Props) {
  const [all, setAll] = useState(false);
  const groups = all ? policy.groups : policy.groups.slice(0, FIRST_GROUPS);
  if (policy.groups.length === 0) return <p className="state-message">No instance started in the window, so no group has figures yet.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="report-table sla-groups" data-testid="sla-groups">
          <caption className="visually-hidden">
            {policy.name} by {policy.group_by.join(', ')}, lowest attainment first
          </caption>
          <thead>
            <tr>
              {policy.group_by.map((d) => (
                <th key={d} scope="col">
                  {dimensionLabel(d)}
                </th>
              ))}
              <th scope="col" className="numeric">Attainment</th>
              <th scope="col" className="numeric">Error budget</th>
              <th scope="col" className="numeric">Met</th>
              <th scope="col" className="numeric">Late</th>
              <th scope="col" className="numeric">Open past deadline</th>
              <th scope="col" className="numeric">In progress</th>
              <th scope="col">
                <span className="visually-hidden">Breaches</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const current = Object.keys(selected).length > 0 && inGroup(g.group, selected);
              const broken = g.late + g.open_breached;
              return (
                <tr key={JSON.stringify(g.group)} className={current ? 'report-row-current' : undefined}>
                  {policy.group_by.map((d, i) =>
                    i === 0 ? (
                      <th key={d} scope="row">
                        {g.group[d] || '(none)'}
                      </th>
                    ) : (
                      <td key={d}>{g.group[d] || '(none)'}</td>
                    ),
                  )}
                  <td className={`numeric sla-text-${g.attainment === null ? 'none' : g.attainment >= policy.objective ? 'ok' : 'bad'}`}>{formatPercent(g.attainment, policy.objective)}</td>
                  <td className={`numeric sla-text-${budgetTone(g.error_budget.remaining)}`}>{formatBudget(g.error_budget.remaining)}</td>
                  <td className="numeric">{formatCount(g.met)}</td>
                  <td className="numeric">{formatCount(g.late)}</td>
                  <td className="numeric">{formatCount(g.open_breached)}</td>
                  <td className="numeric">{formatCount(g.in_progress)}</td>
                  <td>
                    {broken > 0 && !current && (
                      <button type="button" className="link-button" onClick={() => onPick(g.group)} aria-label={`Show the ${formatCount(broken)} breaches of ${policy.group_by.map((d) => g.group[d] || '(none)').join(' · ')}`}>
                        {formatCount(broken)} {broken === 1 ? 'breach' : 'breaches'}
                      </button>
                    )}
                    {current && <span className="sla-sub">shown below</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {policy.groups.length > FIRST_GROUPS && (
        <p className="sla-more">
          <button type="button" className="link-button" onClick={() => setAll(!all)}>
            {all ? `Show the worst ${FIRST_GROUPS} only` : `Show all ${formatCount(policy.groups.length)} groups`}
          </button>
        </p>
      )}
    </>
  );
}
