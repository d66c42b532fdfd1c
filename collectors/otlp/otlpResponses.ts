import { ProtoWriter } from './protobufWire.js';

/**
 * OTLP/HTTP answers (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response), always in the request's
 * encoding: `Export{Trace,Logs}ServiceResponse` on success — with `partial_success` only when something was
 * rejected or there is a warning — and a `google.rpc.Status` for every 4xx and 5xx.
 */

export type OtlpFormat = 'protobuf' | 'json';
export type OtlpSignal = 'traces' | 'logs';
export type PartialSuccess = { rejected: number; errorMessage: string };

export const CONTENT_TYPES: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** google.rpc.Code values for the Status body; OTLP clients go by the HTTP status, this is for humans. */
export const RPC_CODE = { invalidArgument: 3, resourceExhausted: 8, internal: 13, unavailable: 14, unauthenticated: 16 } as const;

/** The media type of a request, or undefined when it is neither OTLP encoding (→ 415). */
export function formatOf(contentType: string | undefined): OtlpFormat | undefined {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

export function exportResponse(format: OtlpFormat, signal: OtlpSignal, partial?: PartialSuccess): Buffer {
  const countField = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const present = partial !== undefined && (partial.rejected > 0 || partial.errorMessage !== '');
  if (format === 'json') {
    // int64 is a decimal string in proto3 JSON.
    const body = present ? { partialSuccess: { [countField]: String(partial.rejected), errorMessage: partial.errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const writer = new ProtoWriter();
  // Export*ServiceResponse { Export*PartialSuccess partial_success = 1 { int64 rejected_* = 1; string error_message = 2 } }
  if (present) writer.messageField(1, new ProtoWriter().varintField(1, partial.rejected).stringField(2, partial.errorMessage));
  return Buffer.from(writer.finish());
}

export function statusResponse(format: OtlpFormat, code: number, message: string): Buffer {
  if (format === 'json') return Buffer.from(JSON.stringify({ code, message }));
  // google.rpc.Status { int32 code = 1; string message = 2; repeated Any details = 3 }
  return Buffer.from(new ProtoWriter().varintField(1, code).stringField(2, message).finish());
}
