import { fromScaled, toScaled } from '../../../collectors/files/fieldValues.js';
import { validateEvent, type CanonicalEventInput } from '../../contracts/canonicalEvent.js';
import type { SimEvent } from '../model.js';

/**
 * Test helper for the vendor builders' round trips: a receiver's mapped events as Flowlens stores them
 * (validated: times in ms, status and keys defaulted) and a prediction, both without `payload` and with amounts
 * in one decimal spelling, so `toEqual` compares what the store would hold ("49.9" and "49.90" are one amount).
 */

const FIELDS = [
  'event_id',
  'correlation_id',
  'flow',
  'step',
  'system',
  'occurred_at',
  'target_system',
  'channel',
  'region',
  'location_id',
  'sku',
  'quantity',
  'amount',
  'currency',
  'status',
  'error_code',
  'error_class',
  'error_message',
  'keys',
  'replay_target',
] as const satisfies readonly (keyof SimEvent)[];

/** A SimEvent without payload and with a canonical amount. */
export function comparable(event: SimEvent): SimEvent {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) if (event[field] !== undefined) out[field] = event[field];
  if (event.amount !== undefined) out.amount = fromScaled(toScaled(event.amount));
  return out as SimEvent;
}

/** Mapped events validated against the canonical contract (throws with the issues when one is not valid). */
export function storedForm(events: readonly CanonicalEventInput[]): SimEvent[] {
  return events.map((event) => {
    const checked = validateEvent(event);
    if (!checked.ok) throw new Error(`mapped event ${String(event.event_id)} is not valid: ${JSON.stringify(checked.issues)}`);
    return comparable(checked.event as SimEvent);
  });
}
