import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('peak', { seed: '42', rate: 6, durationMs: 120_000 }, (run) => {
  it('carries ten times the traffic of the asked rate', () => {
    const { truth } = run();
    expect(truth.events.stored / (6 * 120)).toBeGreaterThan(6);
  });
});
