import { z } from 'zod';
import { ERROR_CLASSES, EVENT_STATUSES } from './canonicalEvent.js';

/**
 * Response shapes of the HTTP API. The server builds them, the web app parses them with the same schemas,
 * so the two cannot drift apart. Times on the API are ISO 8601 strings in UTC with milliseconds.
 */

export const apiErrorSchema = z.object({
  error: z.object({
    status: z.number(),
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ index: z.number().optional(), field: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const ingestIssueSchema = z.object({ index: z.number(), field: z.string(), message: z.string() });

/** `POST /v1/events` answer: partial success is reported record by record, like OTLP's partial_success. */
export const ingestResponseSchema = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  errors: z.array(ingestIssueSchema),
  errors_truncated: z.boolean(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

export const storedEventSchema = z.object({
  event_id: z.string(),
  correlation_id: z.string(),
  flow: z.string(),
  step: z.string(),
  system: z.string(),
  target_system: z.string().nullable(),
  channel: z.string().nullable(),
  region: z.string().nullable(),
  location_id: z.string().nullable(),
  sku: z.string().nullable(),
  quantity: z.number().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  status: z.enum(EVENT_STATUSES),
  error_code: z.string().nullable(),
  error_class: z.enum(ERROR_CLASSES).nullable(),
  error_message: z.string().nullable(),
  occurred_at: z.string(),
  observed_at: z.string(),
  keys: z.record(z.string(), z.string()),
  payload: z.string().nullable(),
  replay_target: z.string().nullable(),
  trace_id: z.string().nullable(),
  span_id: z.string().nullable(),
  replay_of: z.string().nullable(),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

export const linkedKeySchema = z.object({ name: z.string(), value: z.string() });
export type LinkedKey = z.infer<typeof linkedKeySchema>;

/** Events per second by flow over a recent window, by event time; each event counted once. */
export const throughputSchema = z.object({
  window_seconds: z.number(),
  bucket_seconds: z.number(),
  /** Epoch milliseconds of the window's end (exclusive) and start (inclusive). */
  from: z.number(),
  to: z.number(),
  series: z.array(
    z.object({
      flow: z.string(),
      points: z.array(z.object({ t: z.number(), count: z.number() })),
    }),
  ),
});
export type Throughput = z.infer<typeof throughputSchema>;

/**
 * socket.io event names: the server pushes `throughput` (a Throughput) about once a second while data moves,
 * `loaded` (`{ at }`, epoch ms) at most four times a second when new events are stored, so the wall asks again,
 * `alerts` (an AlertChange) when an alert or mute changes, and `replay_progress` (a ReplayProgress) while a
 * replay job runs.
 */
export const LIVE_EVENTS = { throughput: 'throughput', loaded: 'loaded', alerts: 'alerts', replayProgress: 'replay_progress' } as const;
