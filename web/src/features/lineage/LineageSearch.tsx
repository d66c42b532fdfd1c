import { useState } from 'react';
import type { FormEvent } from 'react';

type Props = {
  /** The key currently in the URL; the box starts from it (remount with `key` to follow Back/Forward). */
  initialValue: string;
  onSearch: (key: string) => void;
};

export function LineageSearch({ initialValue, onSearch }: Props) {
  const [draft, setDraft] = useState(initialValue);
  const [showHint, setShowHint] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = draft.trim();
    setShowHint(key === '');
    if (key !== '') onSearch(key);
  };

  return (
    <form className="lineage-search" role="search" aria-label="Lineage" onSubmit={submit}>
      <label htmlFor="lineage-key">Business key or correlation id</label>
      <div className="lineage-search-row">
        <input
          id="lineage-key"
          name="key"
          type="search"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="e.g. SO-1001, a refund id, a correlation id"
          autoComplete="off"
          spellCheck={false}
          aria-describedby="lineage-key-hint"
        />
        <button type="submit">Trace</button>
      </div>
      <p id="lineage-key-hint" className={showHint ? 'field-hint field-hint-warning' : 'field-hint'} aria-live="polite">
        {showHint
          ? 'Type a key value first, for example an order id.'
          : 'Any order, refund, payment, settlement, journal, transfer or RMA id — linked flows are followed.'}
      </p>
    </form>
  );
}
