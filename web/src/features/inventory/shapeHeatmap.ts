import type { InventoryLagByLocation } from '../../api/contracts';
import { formatCount } from '../../format/number';
import { formatDuration } from '../../format/duration';
import { targetLabel } from '../overview/shapeOverview';
import { heatLevel, type HeatLevel } from './lagScale';

/** One cell of the heatmap: a location's lag to one target. `level` null: no movement there. */
export type HeatCell = {
  target: string;
  /** The percentile of movements that reached the target; null when none did. */
  valueMs: number | null;
  count: number;
  pending: number;
  oldestPendingMs: number;
  level: HeatLevel | null;
  /** What the cell reads: the percentile, or how long the oldest one has waited when none arrived. */
  text: string;
  /** A second line: how many still wait. */
  detail: string;
  /** Everything the cell says, for a screen reader. */
  description: string;
};

export type HeatRow = { location: string; cells: HeatCell[] };

export type HeatmapView = {
  columns: { target: string; label: string }[];
  rows: HeatRow[];
  /** "the 30 worst of 300 locations", or "all 12 locations". */
  coverage: string;
};

/**
 * The location × target grid: each cell's colour from the worst of its percentile and the age of its oldest
 * waiting movement (stock that never arrived is the stalest of all), its value always written out as text.
 */
export function shapeHeatmap(data: InventoryLagByLocation): HeatmapView {
  const p = data.percentile;
  const columns = data.targets.map((t) => ({ target: t.target, label: targetLabel(t.target) }));
  const rows = data.rows.map((r) => ({
    location: r.location,
    cells: r.targets.map((c): HeatCell => {
      const label = targetLabel(c.target);
      const reached = c.count - c.pending;
      const valueMs = reached > 0 ? c[p] : null;
      if (c.count === 0) {
        return { target: c.target, valueMs: null, count: 0, pending: 0, oldestPendingMs: 0, level: null, text: '–', detail: '', description: `${r.location}, ${label}: no movements` };
      }
      const waiting = c.pending > 0 ? `${formatCount(c.pending)} waiting` : '';
      const text = valueMs === null ? `waiting ${formatDuration(c.oldest_pending_ms)}` : formatDuration(valueMs);
      const figures = valueMs === null ? `none arrived yet of ${formatCount(c.count)}, the oldest waiting ${formatDuration(c.oldest_pending_ms)}` : `${p} ${formatDuration(valueMs)} over ${formatCount(reached)} arrived${c.pending > 0 ? `, ${waiting}, the oldest for ${formatDuration(c.oldest_pending_ms)}` : ''}`;
      return {
        target: c.target,
        valueMs,
        count: c.count,
        pending: c.pending,
        oldestPendingMs: c.oldest_pending_ms,
        level: heatLevel(Math.max(valueMs ?? 0, c.oldest_pending_ms)),
        text,
        detail: valueMs === null ? '' : waiting,
        description: `${r.location}, ${label}: ${figures}`,
      };
    }),
  }));
  const shown = rows.length;
  const coverage = shown < data.locations_total ? `the ${formatCount(shown)} worst of ${formatCount(data.locations_total)} locations` : `all ${formatCount(shown)} ${shown === 1 ? 'location' : 'locations'}`;
  return { columns, rows, coverage };
}
