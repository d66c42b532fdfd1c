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

  it('lists every refund missing from the ledger past its deadline as a finance exception, however it went missing', () => {
    const { truth, slas, exceptions } = run();
    const overdue = truth.refunds.missingLedger.filter((r) => slas.at - r.refunded_at > 120_000).map((r) => r.correlation_id);
    const missing = exceptions.exceptions.filter((e) => e.kind === 'missing_step' && e.step === 'erp.journal.posted');
    // The exceptions list is read just before /slas; a refund crossing its deadline in between may differ by one.
    expect(Math.abs(missing.length - overdue.length)).toBeLessThanOrEqual(1);
    for (const e of missing) {
      expect(overdue).toContain(e.correlation_id);
      expect(e).toMatchObject({ owner: { id: 'finance' }, error: { code: 'SLA_DEADLINE_MISSED' }, keys: { refund_id: e.correlation_id.replace('rtr-', '') } });
    }
  });
});
