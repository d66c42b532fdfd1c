import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('refund-lost', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('shows the lost refunds in lineage with the money refunded and no credit memo or journal entry', async () => {
    const { truth } = run();
    const lost = truth.refunds.missingLedger.filter((r) => r.lost);
    expect(lost.length).toBeGreaterThan(0);
    const [first] = truth.refunds.missingLedger;
    const answer = await run().lineage(first!.refund_id);
    const steps = answer.events.map((e) => e.step);
    expect(steps).toContain('payment.refund.created');
    expect(steps).not.toContain('erp.journal.posted');
  });
});
