import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('store-offline', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('makes the offline store the worst location once its held sales arrive in a burst', () => {
    const { truth } = run();
    expect(truth.inventoryLag.worstLocations[0]).toMatchObject({ location_id: 'store-001' });
    expect(truth.inventoryLag.worstLocations[0]!.p95).toBeGreaterThan(30_000);
    expect(run().worstShopifyLocations.rows[0]).toMatchObject({ key: 'store-001' });
  });
});
