import { describe, expect, it } from 'vitest';
import { approval, itemLine, jobHistory, jobRow, progressSegments, progressText } from './shapeJobs';
import { jobItem, replayJob, T0 } from './replayFixtures';

const utc = { locale: 'en-GB', timeZone: 'UTC' };

describe('replay jobs', () => {
  it('shows a job\'s items by state, done work first, as parts of the whole', () => {
    expect(progressSegments(replayJob()).map((s) => [s.state, s.count, s.percent, s.tone])).toEqual([
      ['applied', 4, 40, 'ok'],
      ['rejected', 1, 10, 'bad'],
      ['sending', 1, 10, 'active'],
      ['pending', 4, 40, 'idle'],
    ]);
    expect(progressText(replayJob())).toBe('5 of 10 done · 4 applied · 1 rejected by the target · 1 sending · 4 pending');
    expect(progressText(replayJob({ counts: { applied: 9, a_new_state: 1 } }))).toBe('10 of 10 done · 9 applied · 1 a new state');
  });

  it('lets only a different operator approve a four-eyes job', () => {
    const waiting = replayJob({ state: 'awaiting_approval', approval_flows: ['order_to_cash'] });
    expect(approval(waiting, 'ana ops')).toEqual({
      show: true,
      allowed: false,
      why: 'You asked for this replay; a second operator must approve it (four eyes for order_to_cash): ask another operator to sign in and approve.',
    });
    expect(approval(waiting, 'Bo Finance')).toEqual({ show: true, allowed: true, why: 'Asked for by Ana Ops; approving it as a second operator sends it (four eyes for order_to_cash).' });
    // Nobody known (drawn outside the sign-in): the server decides.
    expect(approval(waiting, '').allowed).toBe(true);
    expect(approval(replayJob(), 'Bo Finance').show).toBe(false);
  });

  it('sums a job up: what, why, who, and what it is doing now', () => {
    expect(jobRow(replayJob({ approved_by: 'Bo' }), utc)).toMatchObject({
      stateLabel: 'Running',
      created: '27 Nov, 13:59:00',
      selection: 'failed events 27 Nov, 13:00 – 14:00 · system erp · error HTTP_503',
      who: 'approved by Bo',
      current: 'now: evt-erp-6 → erp (sending)',
    });
    expect(jobRow(replayJob({ state: 'awaiting_approval', approval_flows: ['return_to_refund'], current: null }), utc)).toMatchObject({ who: 'needs a second operator (return_to_refund)', current: '' });
  });

  it('tells the lifecycle, an approval as one', () => {
    const history = [
      { state: 'awaiting_approval' as const, actor: 'Ana', note: "awaiting a second operator's approval (order_to_cash)", at: T0 },
      { state: 'queued' as const, actor: 'Bo', note: null, at: T0 + 60_000 },
      { state: 'running' as const, actor: 'flowlens', note: null, at: T0 + 61_000 },
      { state: 'done' as const, actor: 'flowlens', note: '10 applied', at: T0 + 70_000 },
    ];
    expect(jobHistory({ history }, utc).map((h) => `${h.time} ${h.text}`)).toEqual(['14:00:00 Ana asked for it; it awaits approval', '14:01:00 Bo approved it', '14:01:01 flowlens started it', '14:01:10 flowlens finished it']);
  });

  it('shows each item\'s outcome, and asks for a decision when it is unknown', () => {
    expect(itemLine(jobItem(), utc)).toMatchObject({ stateLabel: 'applied', tone: 'ok', outcome: 'HTTP 201 · attempt 1 · 13:59:40', recorded: true, needsDecision: false });
    expect(itemLine(jobItem({ state: 'unknown', http_status: null, detail: 'timeout after 10 s; lookup unanswered' }), utc)).toMatchObject({ stateLabel: 'outcome unknown', tone: 'warn', needsDecision: true, detail: 'timeout after 10 s; lookup unanswered' });
    expect(itemLine(jobItem({ state: 'pending', attempt: null, http_status: null, at: null }), utc).outcome).toBe('');
  });
});
