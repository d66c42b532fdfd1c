import { AGE_BUCKETS, type Overview } from '../../api/contracts';

/** How a figure reads on the wall at a glance. */
export type Tone = 'ok' | 'warn' | 'bad' | 'none';

/** Lag p95 to a channel: fine under a minute, worth a look under five, oversell territory beyond. */
export const LAG_WARN_MS = 60_000;
export const LAG_BAD_MS = 5 * 60_000;
/** A source that sent nothing for this long is quiet; for the longer one, silent. */
export const QUIET_SECONDS = 60;
export const SILENT_SECONDS = 15 * 60;

/** How stale a target is now: p95 over the movements of the window, those still waiting counted with their age. */
export type LagTile = { target: string; label: string; p95Ms: number | null; pending: number; oldestPendingMs: number; movements: number; tone: Tone };
export type OwnerRow = { owner: string; total: number; buckets: number[] };
export type BreachRow = Overview['slas']['breaching'][number] & { tone: Tone };
export type FreshnessRow = { system: string; secondsSinceLast: number; tone: Tone };

export type OverviewView = {
  at: number;
  lag: LagTile[];
  exceptions: { total: number; buckets: { id: string; label: string; short: string; count: number }[]; owners: OwnerRow[] };
  slas: { policies: number; breaching: BreachRow[] };
  freshness: FreshnessRow[];
};

const SEVERITY_ORDER = ['critical', 'warning', 'info'];
/** Column headings where the full labels would not fit. */
const SHORT_BUCKET_LABELS: Record<string, string> = { under_15m: '<15m', '15m_1h': '15m–1h', '1h_4h': '1–4h', '4h_24h': '4–24h', over_24h: '>24h' };

/** `erp` reads as "ERP posted", a channel by its name: `amazon` → "Amazon". */
export function targetLabel(target: string): string {
  return target === 'erp' ? 'ERP posted' : target.charAt(0).toUpperCase() + target.slice(1);
}

export function lagTone(p95Ms: number | null, pending: number, oldestPendingMs: number): Tone {
  const worst = Math.max(p95Ms ?? 0, pending > 0 ? oldestPendingMs : 0);
  if (p95Ms === null && pending === 0) return 'none';
  return worst >= LAG_BAD_MS ? 'bad' : worst >= LAG_WARN_MS ? 'warn' : 'ok';
}

export function freshnessTone(secondsSinceLast: number): Tone {
  return secondsSinceLast >= SILENT_SECONDS ? 'bad' : secondsSinceLast >= QUIET_SECONDS ? 'warn' : 'ok';
}

/**
 * What the peak-period wall shows, from one overview answer: lag tiles (ERP first, then each channel), open
 * exceptions by age bucket and per owner (most first), the breaching policies (critical first, then the lowest
 * attainment), and each source's silence (longest first).
 */
export function shapeOverview(o: Overview): OverviewView {
  // How stale each target is now: a movement not there yet counts with its age so far (GET /inventory/lag/now).
  const lag = o.inventory.targets.map((t) => {
    const p95Ms = t.count > 0 ? t.p95 : null;
    return { target: t.target, label: targetLabel(t.target), p95Ms, pending: t.pending, oldestPendingMs: t.oldest_pending_ms, movements: t.count, tone: lagTone(p95Ms, t.pending, t.oldest_pending_ms) };
  });
  const buckets = AGE_BUCKETS.map((b) => ({ id: b.id, label: b.label, short: SHORT_BUCKET_LABELS[b.id] ?? b.label, count: o.exceptions.by_bucket[b.id] ?? 0 }));
  const owners = Object.entries(o.exceptions.by_owner)
    .map(([owner, counts]) => {
      const row = AGE_BUCKETS.map((b) => counts[b.id] ?? 0);
      return { owner, total: row.reduce((a, b) => a + b, 0), buckets: row };
    })
    .filter((r) => r.total > 0)
    .sort((a, b) => b.total - a.total || a.owner.localeCompare(b.owner));
  const rank = (severity: string) => (SEVERITY_ORDER.includes(severity) ? SEVERITY_ORDER.indexOf(severity) : SEVERITY_ORDER.length);
  const breaching = o.slas.breaching
    .map((p) => ({ ...p, tone: (p.severity === 'critical' ? 'bad' : 'warn') as Tone }))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || (a.attainment ?? 1) - (b.attainment ?? 1) || a.name.localeCompare(b.name));
  const freshness = o.freshness
    .map((f) => ({ system: f.system, secondsSinceLast: f.seconds_since_last, tone: freshnessTone(f.seconds_since_last) }))
    .sort((a, b) => b.secondsSinceLast - a.secondsSinceLast || a.system.localeCompare(b.system));
  return { at: o.at, lag, exceptions: { total: o.exceptions.total, buckets, owners }, slas: { policies: o.slas.policies, breaching }, freshness };
}
