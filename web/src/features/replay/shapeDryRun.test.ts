import { describe, expect, it } from 'vitest';
import { dryRun, plannedItem } from './replayFixtures';
import { dryRunSummary, itemsRange, previewItem, readableBody } from './shapeDryRun';

const skip = (reason: 'no_target' | 'already_applied', message: string) => plannedItem({ action: 'skip', skip: { reason, message, job_id: null }, request: null });

describe('a dry run', () => {
  it('says how many would be sent, how many skipped and why, and that nothing was sent', () => {
    const answer = dryRun([plannedItem(), plannedItem({ event_id: 'b' }), skip('already_applied', 'already replayed by job rpl-1')], { approval_flows: ['order_to_cash'] });
    expect(dryRunSummary(answer)).toEqual({
      headline: 'Would send 2 of 3 events; 1 skipped. Nothing has been sent.',
      skipped: [{ reason: 'already_applied', label: 'already replayed', count: 1 }],
      approval: "A job of this selection waits for a second operator's approval before anything is sent (four eyes for order_to_cash).",
      noTarget: undefined,
    });
  });

  it('says how to configure replay targets when none is configured for the events', () => {
    const none = dryRunSummary(dryRun([skip('no_target', 'no replay target "erp" is configured (FLOWLENS_REPLAY_TARGETS)')]));
    expect(none.noTarget).toMatch(/^No replay target is configured for these events: set FLOWLENS_REPLAY_TARGETS/);
    const some = dryRunSummary(dryRun([plannedItem(), skip('no_target', '…')]));
    expect(some.noTarget).toBe('1 event names a replay target that is not configured: add it to FLOWLENS_REPLAY_TARGETS and restart Flowlens to replay it too.');
  });

  it('says when nothing matches', () => {
    expect(dryRunSummary(dryRun([])).headline).toBe('No failed or dead-lettered events match this selection.');
  });

  it('shows each event with exactly what would be sent, the body indented for reading', () => {
    const item = previewItem(plannedItem(), { locale: 'en-GB', timeZone: 'UTC' });
    expect(item).toMatchObject({ action: 'send', step: 'erp.invoice.posted', target: 'erp', occurred: '27 Nov 2026, 13:50:00.000', reason: '' });
    expect(item.request?.headers[0]).toEqual({ name: 'Authorization', value: '•••', redacted: true });
    expect(item.body).toBe('{\n  "idempotency_key": "inv-SO-1001",\n  "document_type": "invoice"\n}');
    expect(previewItem(skip('already_applied', 'already replayed by job rpl-1'))).toMatchObject({ action: 'skip', reason: 'already replayed by job rpl-1', request: null, body: '' });
  });

  it('leaves text and JSON that does not parse as they are', () => {
    expect(readableBody('a=1&b=2', 'text')).toBe('a=1&b=2');
    expect(readableBody('{broken', 'json')).toBe('{broken');
  });

  it('says which events of how many a page holds', () => {
    expect(itemsRange({ offset: 50, total: 240, items: new Array(50) })).toBe('51–100 of 240');
    expect(itemsRange({ offset: 0, total: 3, items: new Array(3) })).toBe('3');
  });
});
