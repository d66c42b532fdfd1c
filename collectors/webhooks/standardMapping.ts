import { z } from 'zod';
import type { DecodedRecord } from '../pipeline/eventIngestor.js';
import { describeIssues } from './webhookMapping.js';

/**
 * A Standard Webhooks message carrying canonical events: `{ "type": "...", "timestamp": "...", "data": <event or
 * array of events> }`. The events are validated by the ingest pipeline like `POST /v1/events`, each on its own,
 * so one bad event does not sink its neighbours. An event without `event_id` gets `<webhook-id>:<index>`, so a
 * redelivered message (same webhook-id) is recognised as the same events.
 */

export type StandardDecodeResult = { ok: true; type: string; records: DecodedRecord[] } | { ok: false; message: string };

const MAX_EVENTS = 10_000;

const messageSchema = z.looseObject({
  type: z.string({ error: 'type must be a string naming the message, e.g. "retail.events"' }).min(1, 'type must not be empty'),
  timestamp: z.string().optional(),
  data: z.unknown().refine((v) => v !== undefined && v !== null, 'data is required: a canonical event or an array of them'),
});

export function decodeStandardMessage(webhookId: string, body: unknown): StandardDecodeResult {
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: describeIssues('Standard Webhooks message', parsed.error) };
  const { type, data } = parsed.data;
  const items = Array.isArray(data) ? data : [data];
  if (items.length === 0) return { ok: false, message: 'Standard Webhooks message: data is an empty array; send at least one event' };
  if (items.length > MAX_EVENTS) return { ok: false, message: `Standard Webhooks message: data holds ${items.length} events; send at most ${MAX_EVENTS} per message` };
  const records = items.map((value, index): DecodedRecord => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('event_id' in value)) {
      return { index, value: { ...value, event_id: `${webhookId}:${index}` } };
    }
    return { index, value };
  });
  return { ok: true, type, records };
}
