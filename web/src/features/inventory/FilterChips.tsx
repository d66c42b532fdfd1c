import { setUrlParams } from '../../url/useUrlParam';

/**
 * The location and SKU filters in force (from `?location=` / `?sku=`), each a button that removes it; nothing
 * when none is set. Shared by the inventory panels so each says what it is narrowed to.
 */
export function FilterChips({ location, sku, ignored }: { location: string; sku: string; ignored?: 'location' | 'sku' }) {
  const chips = [
    { name: 'location' as const, label: 'Location', value: location },
    { name: 'sku' as const, label: 'SKU', value: sku },
  ].filter((c) => c.value !== '' && c.name !== ignored);
  if (chips.length === 0) return null;
  return (
    <ul className="filter-chips" aria-label="Filters">
      {chips.map((c) => (
        <li key={c.name}>
          <button type="button" className="filter-chip" onClick={() => setUrlParams({ [c.name]: '' })} aria-label={`Remove the ${c.label} filter ${c.value}`} data-testid={`filter-${c.name}`}>
            <span className="filter-chip-name">{c.label}</span> <span className="filter-chip-value">{c.value}</span>
            <span className="filter-chip-remove" aria-hidden="true">
              ×
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
