import { describe, expect, it } from 'vitest';
import type { InventoryMovements } from '../../api/contracts';
import { lineageHref, shapeMovements } from './shapeMovements';

const movement = (id: string, reached: number | null, lag: number) => ({ correlation_id: id, source_step: 'pos.sale.captured', source_at: 1_000, location_id: 'store-001', sku: 'SKU-1', quantity: -1, reached_at: reached, lag_ms: lag });
const answer = (extra: Partial<InventoryMovements>): InventoryMovements => ({ from: 0, to: 60_000, at: 600_000, target: 'amazon', location: null, sku: null, count: 0, pending: 0, movements: [], ...extra });

describe('shapeMovements', () => {
  it('links each movement to its lineage and says how many are shown and still waiting', () => {
    const view = shapeMovements(answer({ count: 120, pending: 12, movements: [movement('pos-store-001-7', null, 599_000), movement('pos-store-001-8', 31_000, 30_000)] }));
    expect(view.rows.map((r) => [r.id, r.reachedAt, r.lagMs, r.lineageHref])).toEqual([
      ['pos-store-001-7', null, 599_000, '?view=lineage&key=pos-store-001-7'],
      ['pos-store-001-8', 31_000, 30_000, '?view=lineage&key=pos-store-001-8'],
    ]);
    expect(view.summary).toBe('The 2 slowest of 120 movements, 12 still waiting');
  });

  it('reads naturally when every movement is shown', () => {
    expect(shapeMovements(answer({ count: 2, pending: 0, movements: [movement('a', 1, 1), movement('b', 1, 1)] })).summary).toBe('2 movements, all arrived');
    expect(shapeMovements(answer({ count: 1, pending: 1, movements: [movement('a', null, 1)] })).summary).toBe('1 movement, still waiting');
    expect(shapeMovements(answer({})).summary).toBe('');
  });

  it('escapes keys in the lineage link', () => {
    expect(lineageHref('#1001 & co')).toBe('?view=lineage&key=%231001+%26+co');
  });
});
