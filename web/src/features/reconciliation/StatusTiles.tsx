import { formatCount } from '../../format/number';
import type { StatusTile } from './shapeReconciliation';

/** One button per status with its count and amounts per currency; pressing one shows only that status (again: all). */
export function StatusTiles({ tiles, selected, onSelect }: { tiles: StatusTile[]; selected: string; onSelect: (status: string) => void }) {
  return (
    <ul className="recon-tiles" aria-label="Settlements by status">
      {tiles.map((t) => (
        <li key={t.status}>
          <button
            type="button"
            className={`recon-tile tone-${t.tone}`}
            aria-pressed={selected === t.status}
            onClick={() => onSelect(selected === t.status ? '' : t.status)}
            data-testid={`recon-status-${t.status}`}
            title={selected === t.status ? 'Show every status' : `Show only: ${t.label.toLowerCase()}`}
          >
            <span className="tile-label">{t.label}</span>
            <span className="tile-figure">{formatCount(t.count)}</span>
            <span className="recon-tile-amounts">
              {t.amounts.length === 0 ? <span>no settlements</span> : t.amounts.map((a) => <span key={a}>{a}</span>)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
