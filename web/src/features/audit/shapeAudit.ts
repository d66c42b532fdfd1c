import type { AuditEntryRow } from '../../api/contracts';
import type { TimeFormatOptions } from '../../format/time';
import type { AuditResult } from './auditQuery';

/** One audited request as the table shows it. */
export type AuditLine = {
  key: string;
  /** "2026-11-27 14:03:12" in UTC: the trail is read across time zones, so one zone for everyone. */
  utc: string;
  iso: string;
  /** The same moment in the viewer's own zone, for the hover. */
  local: string;
  actor: string;
  /** The actor as recorded, which the actor filter matches ("anonymous" where the cell says nobody). */
  actorValue: string;
  actorKind: string;
  action: string;
  /** "POST /api/v1/alerts/…/acknowledge": what was asked, for the hover. */
  request: string;
  target: string;
  from: string;
  result: AuditResult;
  resultLabel: string;
  status: string;
  detail: string;
};

const RESULT_LABELS: Readonly<Record<AuditResult, string>> = { ok: 'ok', denied: 'denied', failed: 'failed' };

/** Who is shown for a request nobody was identified on (a failed sign-in, a call without credentials). */
const NOBODY = '(not signed in)';

export function auditLine(row: AuditEntryRow, options: TimeFormatOptions = {}): AuditLine {
  const iso = new Date(row.at).toISOString();
  return {
    key: row.audit_id,
    utc: `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
    iso,
    local: `${new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: options.timeZone }).format(row.at)} your time`,
    actor: row.actor === '' || row.actor_kind === 'anonymous' ? NOBODY : row.actor,
    actorValue: row.actor,
    actorKind: row.actor_kind,
    action: row.action,
    request: `${row.method} ${row.path}`,
    target: row.target,
    from: row.from_ip,
    result: row.result,
    resultLabel: RESULT_LABELS[row.result],
    // 0: no HTTP answer (the client went away; or not a request at all, e.g. a configuration change at start).
    status: row.status === 0 ? '–' : String(row.status),
    detail: row.detail,
  };
}

/** "27 Nov 2026 13:00 – 14:00 UTC", the window an answer covers. */
export function windowText(from: number, to: number): string {
  const day = (ms: number) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(ms);
  const clock = (ms: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(ms);
  return day(from) === day(to) ? `${day(from)} ${clock(from)} – ${clock(to)} UTC` : `${day(from)} ${clock(from)} – ${day(to)} ${clock(to)} UTC`;
}

/** "100 entries, older ones to load · newest first · 27 Nov 2026 13:00 – 14:00 UTC". */
export function summaryText(shown: number, hasMore: boolean, window: { from: number; to: number }): string {
  const count = `${shown} ${shown === 1 ? 'entry' : 'entries'}${hasMore ? ', older ones to load' : ''}`;
  return `${count} · newest first · ${windowText(window.from, window.to)}`;
}

/** What an empty trail says: nothing happened in the range, or nothing matches the filters. */
export function emptyMessage(active: boolean): { title: string; detail: string } {
  if (active) return { title: 'No audited actions match these filters in this range', detail: 'Filters match exactly: check the spelling of the actor or target, clear a filter, or pick a longer range.' };
  return {
    title: 'No audited actions in this range',
    detail: 'Actions such as acknowledging an alert, acting on an exception, running or approving a replay, and every sign-in appear here — refused attempts too. Pick a longer range to look further back.',
  };
}
