import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('out-of-order', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('keeps each step at the time it happened, not the time it arrived', () => {
    const { truth } = run();
    // Lag is measured between event times, so late and reordered delivery changes nothing in it.
    expect(truth.inventoryLag.byChannel.shopify!.count).toBeGreaterThan(100);
    expect(truth.openExceptions).toEqual([]);
  });
});
