import { describe, expect, it } from 'vitest';
import type { InventoryLagByLocation } from '../../api/contracts';
import { shapeHeatmap } from './shapeHeatmap';

const cell = (target: string, count: number, pending: number, p95: number, oldest = 0) => ({ target, count, pending, p50: p95, p95, p99: p95, max: p95, oldest_pending_ms: oldest });

const data: InventoryLagByLocation = {
  from: 0,
  to: 3_600_000,
  at: 3_600_000,
  percentile: 'p95',
  sku: null,
  locations_total: 40,
  targets: [
    { target: 'erp', kind: 'erp_posted' },
    { target: 'amazon', kind: 'published' },
    { target: 'zalando', kind: 'published' },
  ],
  rows: [
    { location: 'store-001', worst_ms: 720_000, targets: [cell('erp', 10, 0, 4_200), cell('amazon', 10, 3, 95_000, 720_000), cell('zalando', 0, 0, 0)] },
    { location: 'dc-berlin', worst_ms: 1_200_000, targets: [cell('erp', 2, 0, 1_000), cell('amazon', 2, 2, 0, 1_200_000), cell('zalando', 2, 0, 20_000)] },
  ],
};

describe('shapeHeatmap', () => {
  it('writes every cell out as text, coloured by the worst of its percentile and its oldest waiting movement', () => {
    const view = shapeHeatmap(data);
    expect(view.columns.map((c) => c.label)).toEqual(['ERP posted', 'Amazon', 'Zalando']);
    expect(view.rows[0]!.cells.map((c) => [c.text, c.detail, c.level])).toEqual([
      ['4.2 s', '', 0],
      ['1 min 35 s', '3 waiting', 4],
      ['–', '', null],
    ]);
    expect(view.rows[1]!.cells[1]).toMatchObject({ valueMs: null, text: 'waiting 20 min', level: 5 });
  });

  it('says everything a cell shows to a screen reader, and how many locations the grid covers', () => {
    const view = shapeHeatmap(data);
    expect(view.rows[0]!.cells[1]!.description).toBe('store-001, Amazon: p95 1 min 35 s over 7 arrived, 3 waiting, the oldest for 12 min');
    expect(view.rows[1]!.cells[1]!.description).toBe('dc-berlin, Amazon: none arrived yet of 2, the oldest waiting 20 min');
    expect(view.rows[0]!.cells[2]!.description).toBe('store-001, Zalando: no movements');
    expect(view.coverage).toBe('the 2 worst of 40 locations');
    expect(shapeHeatmap({ ...data, locations_total: 2 }).coverage).toBe('all 2 locations');
  });
});
