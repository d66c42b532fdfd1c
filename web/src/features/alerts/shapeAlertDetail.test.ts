import { describe, expect, it } from 'vitest';
import { alertDetail, alertItem, T0 } from './alertFixtures';
import { alertFacts, availableActions, notificationLines, percent, transitionsByEpisode } from './shapeAlertDetail';

const utc = { locale: 'en-GB', timeZone: 'UTC' };

describe('an alert in its pane', () => {
  it('says what broke, how badly and since when, in the order on-call reads it', () => {
    const facts = alertFacts(alertItem({ group: { channel: 'amazon' }, acknowledged: { by: 'ana', at: T0 - 60_000, note: 'looking' } }), T0, utc);
    expect(facts.map((f) => [f.label, f.value])).toEqual([
      ['Severity', 'Critical'],
      ['Rule', 'Refunds or settlements missing from the ledger (breaches past the deadline)'],
      ['Policy', 'Refunds in the ledger within 2 min'],
      ['Group', 'channel=amazon'],
      ['Owner', 'finance'],
      ['Flow', 'return_to_refund'],
      ['Attainment', '91.2 % against an objective of 99 % over 1 h'],
      ['Past the deadline', '3 open, 1 finished late (deadline 2 min; alerts at 1)'],
      ['Condition since', '27 Nov, 13:48:00'],
      ['Fired', '27 Nov, 13:49:00 (11 min ago)'],
      ['Acknowledged', 'ana, 27 Nov, 13:59:00 — looking'],
      ['Episode', 'the first time it fired'],
      ['Dedup key', 'flowlens/money-not-booked/refund-ledger'],
    ]);
  });

  it('gives a burn-rate alert its two windows against the factor', () => {
    const burn = alertItem({ condition: 'burn', episode: 3, facts: { ...alertItem().facts, burn: { short: 20.04, long: 15.5, short_ms: 300_000, long_ms: 3_600_000, factor: 14.4 } } });
    const facts = alertFacts(burn, T0, utc);
    expect(facts.find((f) => f.label === 'Burn rate')?.value).toBe('20.0× over 5 min, 15.5× over 1 h (alerts above 14.4×)');
    expect(facts.find((f) => f.label === 'Episode')?.value).toBe('the 3rd time it began');
  });

  it('never rounds an attainment up past what was met', () => {
    expect(percent(0.98999)).toBe('98.9 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(null)).toBe('n/a');
  });

  it('tells the lifecycle episode by episode, the latest first', () => {
    const detail = alertDetail();
    const older = { ...detail.transitions[1]!, id: 'x:0:firing', episode: 0, at: T0 - 86_400_000 };
    const episodes = transitionsByEpisode({ ...detail, transitions: [older, ...detail.transitions] }, utc);
    expect(episodes.map((e) => [e.episode, e.current, e.lines.map((l) => `${l.stateLabel} · ${l.actor} · ${l.note}`)])).toEqual([
      [1, true, ['Pending · flowlens · condition holds; fires once it has held for 1 min', 'Firing · flowlens · condition held for 1 min']],
      [0, false, ['Firing · flowlens · condition held for 1 min']],
    ]);
  });

  it('lists every notification, latest first, with the answer', () => {
    expect(notificationLines(alertDetail(), utc).map((n) => [n.receiver, n.status, n.attempt, n.response])).toEqual([
      ['finance-slack', 'failed', '3', '503 Service Unavailable'],
      ['incident-log', 'delivered', '1', '202'],
      ['incident-log', 'claimed', '1', ''],
    ]);
  });

  it('offers acknowledge only while firing, resolve while open', () => {
    expect(availableActions('firing')).toEqual({ acknowledge: true, resolve: true });
    expect(availableActions('acknowledged')).toEqual({ acknowledge: false, resolve: true });
    expect(availableActions('pending')).toEqual({ acknowledge: false, resolve: true });
    expect(availableActions('resolved')).toEqual({ acknowledge: false, resolve: false });
  });
});
