import { useState, type FormEvent } from 'react';
import { MAX_DEPTH, describeDepth, searchKey } from './searchHints';

type Props = {
  /** The key currently in the URL; the box starts from it (remount with `key` to follow Back/Forward). */
  initialValue: string;
  depth: number;
  onSearch: (key: string) => void;
  onDepthChange: (depth: number) => void;
};

const DEPTHS = Array.from({ length: MAX_DEPTH + 1 }, (_, i) => i);

/** The key to trace and how far to follow the keys it links to. */
export function LineageSearch({ initialValue, depth, onSearch, onDepthChange }: Props) {
  const [draft, setDraft] = useState(initialValue);
  const [showHint, setShowHint] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = searchKey(draft);
    setShowHint(key === '');
    if (key !== '') onSearch(key);
  };

  return (
    <form className="lx-search" role="search" aria-label="Lineage" onSubmit={submit}>
      <div className="lx-search-field">
        <label htmlFor="lineage-key">Business key or correlation id</label>
        <div className="lx-search-row">
          <input
            id="lineage-key"
            name="key"
            type="search"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder="e.g. #1001, re_3Sim…, RMA-000001, 11800000001, JE-CM-000001"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="lineage-key-hint"
          />
          <button type="submit">Trace</button>
        </div>
        <p id="lineage-key-hint" className={showHint ? 'field-hint field-hint-warning' : 'field-hint'} aria-live="polite">
          {showHint
            ? 'Type a key value first, for example an order id.'
            : 'Any order, payment, refund, return, settlement, journal, transfer or receipt id, or a correlation id. A SKU at a location, as SKU@location, shows its latest movements.'}
        </p>
      </div>
      <div className="lx-search-depth">
        <label htmlFor="lineage-depth">Follow linked keys</label>
        <select id="lineage-depth" value={depth} onChange={(event) => onDepthChange(Number(event.target.value))}>
          {DEPTHS.map((d) => (
            <option key={d} value={d}>
              {describeDepth(d)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
