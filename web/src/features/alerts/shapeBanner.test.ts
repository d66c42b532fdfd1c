import { describe, expect, it } from 'vitest';
import { alertItem, alertList, T0 } from './alertFixtures';
import { alertBanner, worstAlert } from './shapeBanner';

describe('the alert banner', () => {
  it('says how many alerts need someone and which is worst', () => {
    const list = alertList([
      alertItem({ id: 'w', severity: 'warning', fired_at: T0 - 3_600_000 }),
      alertItem({ id: 'c', group: { channel: 'amazon' }, fired_at: T0 - 12 * 60_000 }),
      alertItem({ id: 'm', muted_by: [{ id: 'x', ends_at: T0 + 1, reason: '', by: 'bo' }] }),
    ]);
    expect(alertBanner(list, undefined)).toEqual({
      tone: 'alarm',
      count: 2,
      headline: '2 alerts firing, not acknowledged',
      worst: 'Refunds or settlements missing from the ledger: Refunds in the ledger within 2 min [channel=amazon], firing for 12 min',
      severity: 'Critical',
      href: '?view=alerts&state=firing',
    });
  });

  it('takes the longest firing of the worst severity', () => {
    expect(worstAlert([alertItem({ id: 'a', fired_at: T0 - 1000 }), alertItem({ id: 'b', fired_at: T0 - 5000 }), alertItem({ id: 'c', severity: 'info', fired_at: 0 })])?.id).toBe('b');
  });

  it('is quiet when nothing needs someone, and says what is held back or in hand', () => {
    expect(alertBanner(alertList([]), undefined)).toEqual({ tone: 'quiet', text: 'No alerts firing', href: '?view=alerts' });
    const muted = alertList([alertItem({ muted_by: [{ id: 'x', ends_at: T0 + 1, reason: '', by: 'bo' }] })], { counts: { pending: 0, firing: 1, acknowledged: 2, resolved: 0, inactive: 0, muted: 1 } });
    expect(alertBanner(muted, undefined)).toMatchObject({ tone: 'quiet', text: 'No unmuted alert firing · 1 firing but muted · 2 acknowledged' });
  });

  it('says when it is still checking, or could not', () => {
    expect(alertBanner(undefined, undefined)).toEqual({ tone: 'unknown', text: 'Checking for firing alerts…' });
    expect(alertBanner(undefined, 'Could not reach the Flowlens server')).toEqual({ tone: 'unknown', text: 'Could not check for firing alerts: Could not reach the Flowlens server' });
  });
});
