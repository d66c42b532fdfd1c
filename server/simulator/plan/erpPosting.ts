import type { ErpPosting, SimEvent } from '../model.js';
import type { Rng } from '../random.js';
import type { PlanContext } from './planContext.js';

/** When the middleware retries a posting the ERP refused (after the first attempt), before it dead-letters it. */
export const ERP_RETRY_OFFSETS_MS = [0, 5_000, 15_000, 30_000] as const;

/**
 * The middleware posts a document to the ERP. While the ERP is down each attempt fails with 503 (a `retrying`
 * step, then `dead_lettered` after the last one, carrying the posting as payload so a replay can re-send it);
 * the first attempt that finds it up is applied, and the ERP reports the posted step itself.
 * Returns when the posting was applied, or undefined when it was dead-lettered.
 */
export function postToErp(
  context: PlanContext,
  rng: Rng,
  requestAt: number,
  document: ErpPosting['document_type'],
  event: Omit<SimEvent, 'occurred_at' | 'event_id' | 'system'>,
  parent?: string,
): number | undefined {
  const key = `${event.correlation_id}:${event.step}`;
  const posting: ErpPosting = { idempotency_key: key, document_type: document, event: { ...event, event_id: key, system: 'erp', status: 'ok' } };
  for (const [attempt, offset] of ERP_RETRY_OFFSETS_MS.entries()) {
    const at = requestAt + offset;
    const appliedAt = Math.round(at + rng.logNormal(600, 0.4) * context.conditions.slowdown(at));
    if (!context.conditions.erpDown(appliedAt)) {
      context.emit(rng, { ...posting.event, occurred_at: appliedAt }, { kind: 'erp', posting, expect: 'applied', parent });
      return appliedAt;
    }
    const last = attempt === ERP_RETRY_OFFSETS_MS.length - 1;
    context.emit(
      rng,
      {
        ...event,
        event_id: `${key}:attempt-${attempt + 1}`,
        system: 'middleware',
        target_system: 'erp',
        occurred_at: appliedAt,
        status: last ? 'dead_lettered' : 'retrying',
        error_code: 'HTTP_503',
        error_class: 'technical',
        error_message: last ? `ERP answered 503 Service Unavailable ${attempt + 1} times; moved to the dead-letter queue` : 'ERP answered 503 Service Unavailable; will retry',
        payload: posting,
        replay_target: 'erp',
      },
      { kind: 'erp', posting, expect: 'unavailable', parent },
    );
  }
  return undefined;
}
