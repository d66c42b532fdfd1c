import { useState, type MouseEvent } from 'react';
import type { KeyChip } from './formatEvent';
import { isPlainClick, searchHref } from './lineageLinks';

/** A key as a real link to its own search (opens in a new tab with a modifier key), followed in place on a click. */
export function KeyLink({ chip, onSelectKey }: { chip: KeyChip; onSelectKey: (key: string) => void }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    onSelectKey(chip.value);
  };
  return (
    <a
      className={chip.isSearched ? 'key-chip key-chip-searched' : 'key-chip'}
      href={searchHref(chip.value)}
      onClick={follow}
      title={chip.isSearched ? `${chip.name} ${chip.value}: the key you searched` : `Trace ${chip.name} ${chip.value}`}
      aria-current={chip.isSearched ? 'true' : undefined}
      data-testid="lineage-key-chip"
    >
      <span className="key-chip-name">{chip.name}</span> {chip.value}
    </a>
  );
}

type ListProps = { chips: readonly KeyChip[]; onSelectKey: (key: string) => void; label: string; limit?: number };

/** Keys as chips; a long list (a settlement's orders) shows its first ones and the rest on request. */
export function KeyChipList({ chips, onSelectKey, label, limit = Infinity }: ListProps) {
  const [all, setAll] = useState(false);
  const shown = all ? chips : chips.slice(0, limit);
  return (
    <ul className="key-chips" aria-label={label}>
      {shown.map((chip) => (
        <li key={`${chip.name}=${chip.value}`}>
          <KeyLink chip={chip} onSelectKey={onSelectKey} />
        </li>
      ))}
      {shown.length < chips.length && (
        <li>
          <button type="button" className="link-button" onClick={() => setAll(true)}>
            Show all {chips.length} keys
          </button>
        </li>
      )}
    </ul>
  );
}
