import { describe, expect, it } from 'vitest';
import { flowColor } from './flowColors';

describe('flowColor', () => {
  it('gives each known flow its own colour', () => {
    const flows = ['order_to_cash', 'inventory_sync', 'return_to_refund', 'settlement_to_ledger', 'transfer'];
    expect(new Set(flows.map(flowColor)).size).toBe(flows.length);
  });

  it('gives a custom flow the same colour every time', () => {
    expect(flowColor('click_and_collect')).toBe(flowColor('click_and_collect'));
    expect(flowColor('click_and_collect')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
