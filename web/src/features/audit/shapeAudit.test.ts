import { describe, expect, it } from 'vitest';
import type { AuditEntryRow } from '../../api/contracts';
import { auditLine, emptyMessage, summaryText, windowText } from './shapeAudit';

const T0 = Date.UTC(2026, 10, 27, 14, 3, 12, 345);

const row = (over: Partial<AuditEntryRow> = {}): AuditEntryRow => ({
  audit_id: 'aud-1',
  at: T0,
  actor: 'vera',
  actor_kind: 'viewer',
  action: 'alert.acknowledge',
  target: '0123456789abcdef',
  method: 'POST',
  path: '/api/v1/alerts/0123456789abcdef/acknowledge',
  from_ip: '127.0.0.1',
  status: 403,
  result: 'denied',
  detail: 'needs_operator',
  ...over,
});

describe('an audit row', () => {
  it('shows the time in UTC to the second, with the local time for the hover', () => {
    const line = auditLine(row(), { locale: 'en-GB', timeZone: 'Europe/Berlin' });
    expect(line).toMatchObject({ utc: '2026-11-27 14:03:12', iso: '2026-11-27T14:03:12.345Z', local: '27 Nov 2026, 15:03:12 your time' });
  });

  it('names who, what, on which target, from where, and how it ended', () => {
    expect(auditLine(row())).toMatchObject({
      actor: 'vera',
      actorKind: 'viewer',
      action: 'alert.acknowledge',
      request: 'POST /api/v1/alerts/0123456789abcdef/acknowledge',
      target: '0123456789abcdef',
      from: '127.0.0.1',
      result: 'denied',
      status: '403',
      detail: 'needs_operator',
    });
  });

  it('says when nobody was signed in, and shows no status where no answer was sent', () => {
    expect(auditLine(row({ actor: 'anonymous', actor_kind: 'anonymous', action: 'session.login', status: 401 }))).toMatchObject({ actor: '(not signed in)', actorValue: 'anonymous' });
    expect(auditLine(row({ status: 0, result: 'failed' })).status).toBe('–');
  });
});

describe('the trail around the rows', () => {
  it('says how many are shown, whether older ones remain, and the window in UTC', () => {
    expect(windowText(T0 - 3_600_000, T0)).toBe('27 Nov 2026 13:03 – 14:03 UTC');
    expect(windowText(T0 - 2 * 86_400_000, T0)).toBe('25 Nov 2026 14:03 – 27 Nov 2026 14:03 UTC');
    expect(summaryText(100, true, { from: T0 - 3_600_000, to: T0 })).toBe('100 entries, older ones to load · newest first · 27 Nov 2026 13:03 – 14:03 UTC');
    expect(summaryText(1, false, { from: T0 - 3_600_000, to: T0 })).toBe('1 entry · newest first · 27 Nov 2026 13:03 – 14:03 UTC');
  });

  it('says what shows up here when nothing is in the range, and what to change when nothing matches', () => {
    expect(emptyMessage(false).title).toBe('No audited actions in this range');
    expect(emptyMessage(false).detail).toContain('acknowledging an alert');
    expect(emptyMessage(true).title).toBe('No audited actions match these filters in this range');
  });
});
