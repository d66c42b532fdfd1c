import { useId } from 'react';
import type { ReconFilters } from './api';
import { STATUS_LABELS, type Option } from './shapeReconciliation';

type Props = {
  filters: ReconFilters;
  options: { reasons: Option[]; sources: Option[]; currencies: Option[] };
  onChange: (updates: Partial<ReconFilters>) => void;
};

/** Status, reason, source and currency, bound to the URL so the filtered list is a link. */
export function ReconFilterBar({ filters, options, onChange }: Props) {
  const id = useId();
  const active = Object.values(filters).some((v) => v !== '');
  const select = (name: keyof ReconFilters, label: string, all: string, values: Option[]) => (
    <div className="report-filter">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select id={`${id}-${name}`} value={filters[name]} onChange={(e) => onChange({ [name]: e.target.value })} data-testid={`recon-filter-${name}`}>
        <option value="">{all}</option>
        {values.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form className="report-filters" aria-label="Filter settlements" onSubmit={(e) => e.preventDefault()}>
      {select('status', 'Status', 'Every status', Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label })))}
      {select('reason', 'Reason', 'Any reason', options.reasons)}
      {select('source', 'Source', 'Every source', options.sources)}
      {select('currency', 'Currency', 'Every currency', options.currencies)}
      <div className="report-filter">
        <button type="button" className="report-button" disabled={!active} onClick={() => onChange({ status: '', reason: '', source: '', currency: '' })}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
