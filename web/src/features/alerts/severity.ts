/**
 * The few words every alert view (and the banner on every screen, in the first bundle) uses: kept apart from the
 * screen's shaping so the banner loads only these.
 */

/** Worst first; a severity a newer catalog adds sorts after the known ones. */
const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, warning: 1, info: 2 };

export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity] ?? 3;
}

export function severityLabel(severity: string): string {
  return severity === '' ? '–' : severity.charAt(0).toUpperCase() + severity.slice(1);
}

/** `channel=amazon, location_id=S1`; empty for an alert on the whole policy. */
export function groupText(group: Readonly<Record<string, string>>): string {
  return Object.entries(group)
    .map(([d, v]) => `${d}=${v}`)
    .join(', ');
}
