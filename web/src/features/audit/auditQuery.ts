import { AUDIT_RESULT_NAMES, SYSTEM_AUDIT_ACTIONS, type ROUTE_RULES } from '../../api/contracts';

export type AuditResult = (typeof AUDIT_RESULT_NAMES)[number];

/** The audit screen's filters as kept in its link: exact actor, action and target, and the results shown. */
export type AuditFilters = { actor: string; action: string; target: string; results: readonly AuditResult[] };

export const AUDIT_FILTER_PARAMS = ['actor', 'action', 'target', 'result'] as const;
export type AuditFilterParam = (typeof AUDIT_FILTER_PARAMS)[number];

/**
 * `?result=denied,failed` → the results to show (every one when none is named). Unknown names are dropped and
 * named in `problem`, so a mistyped link still shows something and says what it ignored.
 */
export function parseResults(text: string): { results: AuditResult[]; problem: string | undefined } {
  const asked = text
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter((r) => r !== '');
  const known = AUDIT_RESULT_NAMES.filter((r) => asked.includes(r));
  const unknown = asked.filter((r) => !(AUDIT_RESULT_NAMES as readonly string[]).includes(r));
  return { results: known, problem: unknown.length === 0 ? undefined : `The link's result ${unknown.join(', ')} is not one of ${AUDIT_RESULT_NAMES.join(', ')}; ignored.` };
}

/** The `result` parameter for a set of results: empty (every result) when none or all are picked. */
export function resultsParam(results: readonly AuditResult[]): string {
  if (results.length === 0 || results.length === AUDIT_RESULT_NAMES.length) return '';
  return AUDIT_RESULT_NAMES.filter((r) => results.includes(r)).join(',');
}

/** The URL parameters for filters, all four, so applying one set replaces the last. */
export function filterParams(filters: AuditFilters): Record<AuditFilterParam, string> {
  return { actor: filters.actor.trim(), action: filters.action.trim(), target: filters.target.trim(), result: resultsParam(filters.results) };
}

export function clearedFilters(): Record<AuditFilterParam, string> {
  return { actor: '', action: '', target: '', result: '' };
}

export function hasActiveFilters(filters: AuditFilters): boolean {
  return filters.actor !== '' || filters.action !== '' || filters.target !== '' || resultsParam(filters.results) !== '';
}

/** `GET /api/v1/audit`'s query for filters over a window: only what narrows it, then the page. */
export function auditSearch(filters: AuditFilters, window: { from: number; to: number }, page: { limit: number; offset: number }): URLSearchParams {
  const search = new URLSearchParams({ from: String(window.from), to: String(window.to) });
  for (const [name, value] of Object.entries(filterParams(filters))) if (value !== '') search.set(name, value);
  search.set('limit', String(page.limit));
  search.set('offset', String(page.offset));
  return search;
}

const SYSTEM_ACTIONS = Object.values(SYSTEM_AUDIT_ACTIONS);

/**
 * The action names the trail records — one per mutating route of the policy, and the server's own configuration
 * changes — grouped by what they act on; a name the link holds is kept even when it is none of them.
 */
export function auditActionGroups(rules: typeof ROUTE_RULES, current = ''): { group: string; actions: string[] }[] {
  const names = new Set([...rules.flatMap((r) => (r.action === undefined ? [] : [r.action])), ...SYSTEM_ACTIONS]);
  if (current !== '') names.add(current);
  const groups = new Map<string, string[]>();
  for (const name of [...names].sort()) {
    const group = name.includes('.') ? name.slice(0, name.indexOf('.')) : 'other';
    groups.set(group, [...(groups.get(group) ?? []), name]);
  }
  return [...groups].map(([group, actions]) => ({ group, actions }));
}
