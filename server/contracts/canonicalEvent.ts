import { z } from 'zod';

/**
 * The canonical business event, contract v1 (../shared/DESIGN.md, docs/semantic-conventions.md).
 * Every receiver maps what it accepts onto this shape; everything downstream reads only this shape.
 */

export const KNOWN_FLOWS = ['inventory_sync', 'order_to_cash', 'return_to_refund', 'settlement_to_ledger', 'transfer'] as const;
export const EVENT_STATUSES = ['ok', 'failed', 'retrying', 'dead_lettered', 'skipped'] as const;
export const ERROR_CLASSES = ['business', 'technical'] as const;
/** Business keys every adapter knows; any other `[a-z][a-z0-9_]*` name is accepted too. */
export const WELL_KNOWN_KEYS = ['order_id', 'refund_id', 'payment_id', 'settlement_id', 'journal_id', 'transfer_id', 'rma_id'] as const;

export const MAX_KEYS_PER_EVENT = 32;
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const utf8 = new TextEncoder();
const identifier = /^[a-z][a-z0-9_]*$/;
const dottedName = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const decimal = /^-?\d{1,14}(\.\d{1,4})?$/;

const id = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(128, `${what} must be at most 128 characters`);
const label = (what: string) =>
  z.string({ error: `${what} must be a string` }).trim().min(1, `${what} must not be empty`).max(128, `${what} must be at most 128 characters`);

/** ISO 8601 with an offset (`2026-11-27T10:00:00.123Z`) or Unix epoch milliseconds; kept to the millisecond. */
const timestamp = (what: string) =>
  z
    .custom<string | number>((v) => typeof v === 'string' || typeof v === 'number', {
      error: `${what} must be an ISO 8601 string or epoch milliseconds`,
    })
    .transform((value, ctx) => {
      const ms = typeof value === 'number' ? value : parseIsoWithOffset(value);
      if (ms === undefined || !Number.isFinite(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2100, 0, 1)) {
        ctx.addIssue({
          code: 'custom',
          message: `${what} must be an ISO 8601 time with a timezone (e.g. 2026-11-27T10:00:00.000Z) or epoch milliseconds between 2000 and 2100`,
        });
        return z.NEVER;
      }
      return Math.trunc(ms);
    });

function parseIsoWithOffset(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (!m) return undefined;
  // Date.parse rolls 2026-02-30 over to 2 March; refuse days the month does not have.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return Date.parse(text);
}

const hexId = (what: string, length: number) =>
  z
    .string({ error: `${what} must be a string` })
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `${what} must be ${length} hex characters`)
    .transform((s) => s.toLowerCase());

const amount = z
  .custom<string | number>((v) => typeof v === 'string' || typeof v === 'number', { error: 'amount must be a decimal number or a decimal string' })
  .transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.trim();
    if (!decimal.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'amount must be a decimal with at most 14 integer and 4 fraction digits' });
      return z.NEVER;
    }
    return text;
  });

const payload = z.unknown().transform((value, ctx) => {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // A UTF-16 unit is at most 3 UTF-8 bytes: only encode (and allocate) when the text could be too long.
  if (text.length * 3 > MAX_PAYLOAD_BYTES && utf8.encode(text).byteLength > MAX_PAYLOAD_BYTES) {
    ctx.addIssue({ code: 'custom', message: `payload must be at most ${MAX_PAYLOAD_BYTES} bytes once serialised` });
    return z.NEVER;
  }
  return text;
});

/**
 * Business keys, checked in one pass (names, values, count) rather than a schema per entry: it runs for every
 * event on the ingest path. Values are trimmed.
 */
const keys = z
  .custom<Record<string, string>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
    error: 'keys must be an object of key name to value, e.g. {"order_id": "SO-1"}',
  })
  .transform((given, ctx) => {
    const names = Object.keys(given);
    if (names.length > MAX_KEYS_PER_EVENT) ctx.addIssue({ code: 'custom', message: `keys must hold at most ${MAX_KEYS_PER_EVENT} entries` });
    const out: Record<string, string> = {};
    for (const name of names) {
      const raw = given[name];
      if (!identifier.test(name) || name.length > 64) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'key names are lower_snake_case (at most 64 characters), e.g. order_id' });
      } else if (typeof raw !== 'string') {
        ctx.addIssue({ code: 'custom', path: [name], message: 'key values must be strings' });
      } else {
        const value = raw.trim();
        if (value.length === 0) ctx.addIssue({ code: 'custom', path: [name], message: 'key values must not be empty' });
        else if (value.length > 256) ctx.addIssue({ code: 'custom', path: [name], message: 'key values must be at most 256 characters' });
        else out[name] = value;
      }
    }
    return out;
  });

/** Wire shape accepted by `POST /v1/events` and produced by every collector mapping. */
export const canonicalEventSchema = z
  .strictObject({
    event_id: id('event_id'),
    correlation_id: id('correlation_id'),
    flow: z
      .string({ error: 'flow must be a string' })
      .regex(identifier, 'flow must be lower_snake_case, e.g. order_to_cash')
      .max(64, 'flow must be at most 64 characters'),
    step: z
      .string({ error: 'step must be a string' })
      .regex(dottedName, 'step must be a dotted lower-case name, e.g. erp.inventory.posted')
      .max(128, 'step must be at most 128 characters'),
    system: label('system'),
    target_system: label('target_system').optional(),
    channel: label('channel').optional(),
    region: label('region').optional(),
    location_id: label('location_id').optional(),
    sku: label('sku').optional(),
    quantity: z.number({ error: 'quantity must be a number' }).finite().optional(),
    amount: amount.optional(),
    currency: z
      .string({ error: 'currency must be a string' })
      .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code, e.g. EUR')
      .optional(),
    status: z.enum(EVENT_STATUSES, { error: `status must be one of ${EVENT_STATUSES.join(', ')}` }).default('ok'),
    error_code: label('error_code').optional(),
    error_class: z.enum(ERROR_CLASSES, { error: `error_class must be one of ${ERROR_CLASSES.join(', ')}` }).optional(),
    error_message: z.string({ error: 'error_message must be a string' }).max(4096, 'error_message must be at most 4096 characters').optional(),
    occurred_at: timestamp('occurred_at'),
    observed_at: timestamp('observed_at').optional(),
    keys: keys.default({}),
    payload: payload.optional(),
    replay_target: label('replay_target').optional(),
    trace_id: hexId('trace_id', 32).optional(),
    span_id: hexId('span_id', 16).optional(),
    replay_of: id('replay_of').optional(),
  })
  .superRefine((event, ctx) => {
    if (event.amount !== undefined && event.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'currency is required when amount is given', params: { conditional: true } });
    }
    if (event.span_id !== undefined && event.trace_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['trace_id'], message: 'trace_id is required when span_id is given', params: { conditional: true } });
    }
  });

export type CanonicalEventInput = z.input<typeof canonicalEventSchema>;
/** A validated event: times are epoch milliseconds, amount a decimal string, payload a JSON string. */
export type CanonicalEvent = z.output<typeof canonicalEventSchema>;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export type FieldIssue = { field: string; message: string };

export type ValidationResult = { ok: true; event: CanonicalEvent } | { ok: false; issues: FieldIssue[] };

/** Validate one record; issues name the field (dotted path) and the reason. */
export function validateEvent(record: unknown): ValidationResult {
  const parsed = canonicalEventSchema.safeParse(record);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : issueField(issue),
      message: !isConditional(issue) && isMissing(record, issue.path) ? 'is required' : issueMessage(issue),
    })),
  };
}

function issueField(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.join(',');
  return '(record)';
}

/** Issues that explain why an optional field became necessary keep their own message. */
function isConditional(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && (issue.params as { conditional?: boolean } | undefined)?.conditional === true;
}

function isMissing(record: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length !== 1 || record === null || typeof record !== 'object' || Array.isArray(record)) return false;
  return (record as Record<PropertyKey, unknown>)[path[0]!] === undefined;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} (not in canonical event v1)`;
  if (issue.code === 'invalid_type' && issue.path.length === 0) return 'each event must be a JSON object';
  return issue.message;
}

/**
 * The `retail.*` attribute names that carry canonical fields on OpenTelemetry spans and log records
 * (docs/semantic-conventions.md). The OTLP mapping reads attributes through this table only.
 */
export const RETAIL_ATTRIBUTE_PREFIX = 'retail.';
export const RETAIL_KEY_ATTRIBUTE_PREFIX = 'retail.key.';
export const RETAIL_ATTRIBUTES = Object.fromEntries(
  (
    [
      'event_id',
      'correlation_id',
      'flow',
      'step',
      'system',
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
      'occurred_at',
      'payload',
      'replay_target',
      'replay_of',
    ] as const
  ).map((field) => [field, `${RETAIL_ATTRIBUTE_PREFIX}${field}`]),
) as Record<string, string>;
