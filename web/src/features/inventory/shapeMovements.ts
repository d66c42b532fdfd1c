import type { InventoryMovements } from '../../api/contracts';
import { formatCount } from '../../format/number';

export type MovementRow = {
  id: string;
  sku: string;
  location: string;
  sourceStep: string;
  quantity: number | null;
  sourceAt: number;
  /** When it reached the target, or null while it has not. */
  reachedAt: number | null;
  /** Its lag, or its age so far while waiting. */
  lagMs: number;
  /** The lineage screen for this movement (its correlation id is a key). */
  lineageHref: string;
};

export type MovementsView = { rows: MovementRow[]; summary: string };

/** The movements behind a chart point, slowest first as the server ranks them, each with a link to its lineage. */
export function shapeMovements(data: InventoryMovements): MovementsView {
  const rows = data.movements.map((m) => ({
    id: m.correlation_id,
    sku: m.sku,
    location: m.location_id,
    sourceStep: m.source_step,
    quantity: m.quantity,
    sourceAt: m.source_at,
    reachedAt: m.reached_at,
    lagMs: m.lag_ms,
    lineageHref: lineageHref(m.correlation_id),
  }));
  const noun = data.count === 1 ? 'movement' : 'movements';
  const shown = rows.length < data.count ? `the ${formatCount(rows.length)} slowest of ${formatCount(data.count)} ${noun}` : `${formatCount(data.count)} ${noun}`;
  const waiting = data.pending === 0 ? 'all arrived' : data.pending === data.count ? (data.count === 1 ? 'still waiting' : 'all still waiting') : `${formatCount(data.pending)} still waiting`;
  return { rows, summary: data.count === 0 ? '' : `${shown.charAt(0).toUpperCase()}${shown.slice(1)}, ${waiting}` };
}

/** `?view=lineage&key=…`: a view switch keeps nothing else, lineage has no time range. */
export function lineageHref(key: string): string {
  return `?${new URLSearchParams({ view: 'lineage', key })}`;
}
