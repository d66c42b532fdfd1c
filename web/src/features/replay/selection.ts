import type { ReplaySelection } from '../../api/contracts';
import type { TimeFormatOptions } from '../../format/time';
import { describeTimeRange, resolveTimeRange, timeRangeKey, type TimeRange } from '../../url/timeRange';

/**
 * The Replay screen's selection as it lives in the link: `?event=<id>` (one failed event), `?exception=<id>` (the
 * failed step an exception is about — the exceptions pane links here so), or `?select=filter` with `flow`, `step`,
 * `system` and `error` (its code) over the view's time range: every failed event matching. A link holding a
 * selection opens on its dry run.
 */
export const SELECT_KINDS = ['event', 'exception', 'filter'] as const;
export type SelectKind = (typeof SELECT_KINDS)[number];
export const FILTER_FIELDS = ['flow', 'step', 'system', 'error'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export type SelectionParams = Readonly<Record<'select' | 'event' | 'exception' | FilterField, string>>;
export type SelectionForm = { kind: SelectKind } & Record<'event' | 'exception' | FilterField, string>;

/** Every URL parameter of the selection, for setUrlParams. */
export const SELECTION_PARAMS = ['select', 'event', 'exception', ...FILTER_FIELDS] as const;

/** Which kind the link names: `select`, else the id it carries, else a filter. */
export function kindOf(params: SelectionParams): SelectKind {
  if ((SELECT_KINDS as readonly string[]).includes(params.select)) return params.select as SelectKind;
  if (params.event !== '') return 'event';
  if (params.exception !== '') return 'exception';
  return 'filter';
}

export function formFromParams(params: SelectionParams): SelectionForm {
  return { kind: kindOf(params), event: params.event, exception: params.exception, flow: params.flow, step: params.step, system: params.system, error: params.error };
}

/** Whether the link holds a selection to dry-run: an id, or a filter asked for (`select=filter`). */
export function isAsked(params: SelectionParams): boolean {
  const kind = kindOf(params);
  return kind === 'event' ? params.event !== '' : kind === 'exception' ? params.exception !== '' : params.select === 'filter';
}

/** The URL parameters of a submitted form: its kind's fields, the other kinds' cleared. */
export function paramsFromForm(form: SelectionForm): Record<(typeof SELECTION_PARAMS)[number], string> {
  const none = { event: '', exception: '', flow: '', step: '', system: '', error: '' };
  if (form.kind === 'event') return { ...none, select: '', event: form.event.trim() };
  if (form.kind === 'exception') return { ...none, select: '', exception: form.exception.trim().toLowerCase() };
  return { ...none, select: 'filter', flow: form.flow.trim(), step: form.step.trim(), system: form.system.trim(), error: form.error.trim() };
}

export type SelectionProblem = { field: 'event' | 'exception'; message: string };

/** What a form is missing before a dry run, in the words the server would use; undefined when it can be sent. */
export function formProblem(form: SelectionForm): SelectionProblem | undefined {
  if (form.kind === 'event') {
    const id = form.event.trim();
    if (id === '') return { field: 'event', message: 'Type the id of the failed event to replay (from its lineage or the exceptions pane).' };
    if (id.length > 128) return { field: 'event', message: 'An event id is at most 128 characters.' };
  }
  if (form.kind === 'exception' && !/^[0-9a-f]{16}$/i.test(form.exception.trim())) {
    return { field: 'exception', message: 'An exception id is 16 hex characters: open the exception in the inbox and use its Replay link.' };
  }
  return undefined;
}

/** The API selection the link asks for, a relative range resolved to its instants at `now`. */
export function selectionFromParams(params: SelectionParams, range: TimeRange, now: number): ReplaySelection {
  const kind = kindOf(params);
  if (kind === 'event') return { kind, event_id: params.event };
  if (kind === 'exception') return { kind, exception_id: params.exception.toLowerCase() };
  const { from, to } = resolveTimeRange(range, now);
  const optional = (name: 'flow' | 'step' | 'system' | 'error_code', value: string) => (value === '' ? {} : { [name]: value });
  return { kind, from, to, ...optional('flow', params.flow), ...optional('step', params.step), ...optional('system', params.system), ...optional('error_code', params.error) };
}

/** A cache key of the selection that does not move with the clock (a relative range keys on its name). */
export function selectionKey(params: SelectionParams, range: TimeRange): string {
  const kind = kindOf(params);
  if (kind === 'event') return `event|${params.event}`;
  if (kind === 'exception') return `exception|${params.exception.toLowerCase()}`;
  return ['filter', timeRangeKey(range), ...FILTER_FIELDS.map((f) => params[f])].join('|');
}

/**
 * A selection in words ("failed events 27 Nov 2026, 10:00 – 11:00 · flow order_to_cash · error HTTP_503"); a job's
 * selection is the API's own record, so anything unexpected is shown as it is.
 */
export function describeSelection(selection: unknown, options: TimeFormatOptions = {}): string {
  if (typeof selection !== 'object' || selection === null) return String(selection);
  const s = selection as Record<string, unknown>;
  if (s.kind === 'event') return `event ${String(s.event_id)}`;
  if (s.kind === 'exception') return `exception ${String(s.exception_id)}`;
  if (s.kind === 'filter' && typeof s.from === 'number' && typeof s.to === 'number') {
    const parts = [`failed events ${describeTimeRange({ kind: 'absolute', from: s.from, to: s.to }, options)}`];
    for (const [field, label] of [['flow', 'flow'], ['step', 'step'], ['system', 'system'], ['error_code', 'error']] as const) {
      if (typeof s[field] === 'string') parts.push(`${label} ${s[field] as string}`);
    }
    return parts.join(' · ');
  }
  return JSON.stringify(selection);
}
