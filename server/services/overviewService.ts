import type { ClickHouseClient } from '@clickhouse/client';
import type { Throughput } from '../contracts/api.js';
import type { Overview } from '../contracts/overviewApi.js';
import { sourceFreshness } from '../store/queries/freshness.js';
import type { Schema } from '../store/schema.js';
import type { ExceptionService } from './exceptionService.js';
import type { InventoryService } from './inventoryService.js';
import { sharedResult, withLatest } from './sharedResult.js';
import type { SlaService } from './slaService.js';

export type OverviewService = {
  overview(): Promise<Overview>;
  /** Events were flushed: the next call computes afresh. */
  invalidate(): void;
  /** Events were loaded: the next call gets them once the latest answer is a few times its cost old. */
  changed(): void;
};

/**
 * Every wall on screen asks at least every 2 s, and at once when events load: one overview in flight serves them
 * all, and one younger than this is reused — so ten walls cost the engine what one does.
 */
export const OVERVIEW_MAX_AGE_MS = 500;

/** Sources silent for longer than this are left off the freshness list (they are not part of today's estate). */
const FRESHNESS_LOOKBACK_MS = 24 * 3_600_000;

/**
 * The peak-period wall in one answer: throughput by flow, how stale each channel is now, open exceptions by
 * age and owner, the SLA policies breaching now, and how long since each source last sent anything. Throughput
 * (in memory), lag now and freshness are read afresh for each overview, itself shared by the walls asking within
 * OVERVIEW_MAX_AGE_MS; the exceptions and SLA figures are the ones every caller shares (at most
 * FLOWLENS_ANSWER_MAX_AGE_MS old), the costly part at scale.
 */
export function createOverviewService(
  deps: { client: ClickHouseClient; schema: Schema; throughput: (windowSeconds: number) => Promise<Throughput>; inventory: InventoryService; exceptions: ExceptionService; slas: SlaService },
  options: { maxAgeMs: number },
  clock: () => number = Date.now,
): OverviewService {
  // Walls wait for the overview every 2 s: refreshed as background work, it would queue behind costly recomputes.
  const shared = sharedResult(async (now): Promise<Overview> => {
    // One after the other: the engine runs one query at a time per connection anyway (DESIGN.md).
    const throughput = await deps.throughput(300);
    const inventory = await deps.inventory.lagNow(15 * 60_000);
    // The costly shared parts as they are (computed afresh behind this call after new data): lag and freshness
    // must not wait for them.
    const aging = await withLatest(() => deps.exceptions.aging(7 * 86_400_000));
    const slas = await withLatest(() => deps.slas.status());
    const freshness = await sourceFreshness(deps.client, deps.schema, now - FRESHNESS_LOOKBACK_MS);
    return {
      at: now,
      throughput,
      inventory,
      exceptions: { total: aging.total, by_bucket: aging.by_bucket, by_owner: aging.by_owner },
      slas: {
        policies: slas.policies.length,
        breaching: slas.policies
          .filter((p) => p.breaching)
          .map((p) => ({ id: p.id, name: p.name, severity: p.severity, owner: p.owner, attainment: p.attainment, objective: p.objective, late: p.late, open_breached: p.open_breached, burn_alerting: p.burn?.alerting ?? false })),
      },
      freshness: freshness.map((f) => ({ system: f.system, last_event_at: f.lastOccurredMs, last_received_at: f.lastObservedMs, seconds_since_last: Math.max(0, Math.round((now - f.lastObservedMs) / 1000)) })),
    };
  }, options.maxAgeMs, clock, { refreshInBackground: false });
  return {
    overview: async () => (await shared.get()).value,
    invalidate: () => shared.invalidate(),
    changed: () => shared.changed(),
  };
}
