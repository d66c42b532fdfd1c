import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('refund-lost', { seed: '42', rate: 16, durationMs: 300_000 }, (run) => {
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

  it('breaks the refund-ledger SLA with every lost refund still open past its deadline', () => {
    const { truth, slas } = run();
    const policy = slas.policies.find((p) => p.id === 'refund-ledger')!;
    const overdueLost = truth.refunds.missingLedger.filter((r) => r.lost && slas.at - r.refunded_at > 120_000).length;
    expect(overdueLost).toBeGreaterThan(0);
    expect(policy.open_breached).toBeGreaterThanOrEqual(overdueLost);
    expect(policy.breaching).toBe(true);
  });
});
