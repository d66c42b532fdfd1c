import { describe, expect, it } from 'vitest';
import type { MuteItem } from '../../api/contracts';
import { alertItem, T0 } from './alertFixtures';
import { matcherText, muteLine, muteRequest, muteScopes, sortMutes } from './muteForm';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const form = { scope: 'alert' as const, duration: '1h', until: '', reason: ' ERP upgrade until 16:00 ' };

const mute = (over: Partial<MuteItem> = {}): MuteItem => ({
  id: 'm1',
  matcher: { policy: 'refund-ledger' },
  starts_at: T0 - 600_000,
  ends_at: T0 + 3_000_000,
  reason: 'ERP upgrade',
  created_by: 'bo',
  created_at: T0 - 600_000,
  ended: null,
  active: true,
  ...over,
});

describe('muting from an alert', () => {
  it('offers this alert, its policy, its rule or its owner', () => {
    expect(muteScopes(alertItem({ group: { channel: 'amazon' } })).map((s) => [s.label, s.matcher])).toEqual([
      ['This alert only (channel=amazon)', { alert_id: '0123456789abcdef' }],
      ['Every alert of the policy “Refunds in the ledger within 2 min”', { policy: 'refund-ledger' }],
      ['Every alert of the rule “Refunds or settlements missing from the ledger”', { rule: 'money-not-booked' }],
      ['Every alert owned by finance', { owner: 'finance' }],
    ]);
  });

  it('builds the request: the matcher, the end from the duration and the reason (who is the signed-in person)', () => {
    expect(muteRequest(form, alertItem(), T0)).toEqual({ request: { matcher: { alert_id: '0123456789abcdef' }, ends_at: T0 + 3_600_000, reason: 'ERP upgrade until 16:00' } });
    expect(muteRequest({ ...form, scope: 'owner', duration: '8h' }, alertItem(), T0)).toMatchObject({ request: { matcher: { owner: 'finance' }, ends_at: T0 + 8 * 3_600_000 } });
  });

  it('says what is missing before sending anything', () => {
    expect(muteRequest({ ...form, reason: ' ' }, alertItem(), T0)).toMatchObject({ problem: { field: 'reason' } });
    expect(muteRequest({ ...form, duration: 'until', until: '' }, alertItem(), T0)).toEqual({ problem: { field: 'until', message: 'Enter when the mute ends.' } });
    expect(muteRequest({ ...form, duration: 'until', until: '2020-01-01T10:00' }, alertItem(), T0)).toEqual({ problem: { field: 'until', message: 'The end must be in the future.' } });
    expect(muteRequest({ ...form, duration: 'until', until: '2027-06-01T10:00' }, alertItem(), T0)).toEqual({ problem: { field: 'until', message: 'A mute can last at most 7 days.' } });
  });
});

describe('the mutes list', () => {
  it('says what a mute matches', () => {
    expect(matcherText({ alert_id: 'abc' })).toBe('alert abc');
    expect(matcherText({ policy: 'refund-ledger', severity: 'critical', group: { channel: 'amazon' } })).toBe('policy refund-ledger · severity critical · channel=amazon');
  });

  it('tells in force, scheduled, ended early and run out apart; only one in force can be ended', () => {
    expect(muteLine(mute(), T0, utc)).toMatchObject({ status: 'active', statusLabel: 'In force', when: 'until 14:50:00 (50 min left)', canEnd: true, what: 'policy refund-ledger' });
    expect(muteLine(mute({ active: false, starts_at: T0 + 60_000 }), T0, utc)).toMatchObject({ status: 'scheduled', when: 'from 14:01:00 (in 1 min) until 14:50:00', canEnd: false });
    expect(muteLine(mute({ active: false, ended: { by: 'ana', at: T0 - 60_000 } }), T0, utc)).toMatchObject({ status: 'ended', when: 'ended by ana at 13:59:00' });
    expect(muteLine(mute({ active: false, ends_at: T0 - 60_000 }), T0, utc)).toMatchObject({ status: 'expired', statusLabel: 'Ran out' });
  });

  it('lists those in force first, ending soonest first, then scheduled, then the ended ones latest first', () => {
    const mutes = [
      mute({ id: 'ended-old', active: false, ended: { by: 'a', at: T0 - 7_200_000 } }),
      mute({ id: 'late', ends_at: T0 + 7_200_000 }),
      mute({ id: 'scheduled', active: false, starts_at: T0 + 60_000 }),
      mute({ id: 'soon', ends_at: T0 + 60_000 }),
      mute({ id: 'ran-out', active: false, ends_at: T0 - 60_000 }),
    ];
    expect(sortMutes(mutes, T0).map((m) => m.id)).toEqual(['soon', 'late', 'scheduled', 'ran-out', 'ended-old']);
  });
});
