import { Router, type Request, type Response } from 'express';
import { AppError } from '../../server/errors.js';
import type { IngestKey } from '../../server/config/settingValues.js';
import { bearerCheck, type BearerCheck } from '../../server/http/bearerAuth.js';
import { readRawBody } from '../../server/http/readBody.js';
import type { EventIngestor, IngestOutcome } from '../pipeline/eventIngestor.js';
import type { CommitOutcome, GroupCommitter } from '../pipeline/groupCommit.js';
import { decodeLogsJson, decodeTracesJson } from './decodeJson.js';
import { decodeLogsProtobuf, decodeTracesProtobuf } from './decodeProtobuf.js';
import { toOtelTraceRow, type OtelTraceRow } from './otelTraceRow.js';
import { OtlpDecodeError, type LogsRequest, type TracesRequest } from './otlpModel.js';
import {
  CONTENT_TYPES,
  RPC_CODE,
  exportResponse,
  formatOf,
  statusResponse,
  type OtlpFormat,
  type OtlpSignal,
  type PartialSuccess,
} from './otlpResponses.js';
import { retailRecordsFromLogs, retailRecordsFromTraces, type RetailRecord } from './retailMapping.js';

export type OtlpRoutesDeps = {
  ingestor: EventIngestor;
  spans: GroupCommitter<OtelTraceRow>;
  /** Largest body accepted, counted after decompression. */
  maxBodyBytes?: number;
  /**
   * When given, every request must carry one of these ingest keys (`Authorization: Bearer <key>`, as exporters'
   * `headers` setting sends it); otherwise 401 with a Status body. Absent: the port is open to whoever reaches it.
   */
  ingestKeys?: readonly IngestKey[];
};

export const DEFAULT_OTLP_MAX_BODY_BYTES = 20 * 1024 * 1024;
const MAX_REPORTED_RECORDS = 10;

/**
 * OTLP/HTTP receiver (https://opentelemetry.io/docs/specs/otlp/#otlphttp): `POST /v1/traces` and
 * `POST /v1/logs`, protobuf or JSON, optionally gzip. Every span is stored in otel_traces; spans and log
 * records carrying `retail.*` attributes also become business events (retailMapping.ts). The answer waits
 * until both are committed. `partial_success.rejected_*` counts the retail records refused as business
 * events, with the reasons; those spans are still stored in otel_traces. Log records without `retail.*`
 * attributes are acknowledged but not stored (there is no log table), which the answer says as a warning.
 */
export function otlpRoutes(deps: OtlpRoutesDeps): Router {
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_OTLP_MAX_BODY_BYTES;
  const limits = { maxBodyBytes, check: deps.ingestKeys === undefined ? undefined : bearerCheck(deps.ingestKeys) };
  const router = Router();
  router.post('/v1/traces', (req, res) => receive(req, res, 'traces', limits, (format, body) => exportTraces(deps, decodeTraces(format, body))));
  router.post('/v1/logs', (req, res) => receive(req, res, 'logs', limits, (format, body) => exportLogs(deps, decodeLogs(format, body))));
  return router;
}

type Handled = { partial?: PartialSuccess };

async function receive(
  req: Request,
  res: Response,
  signal: OtlpSignal,
  limits: { maxBodyBytes: number; check: BearerCheck | undefined },
  handle: (format: OtlpFormat, body: Buffer) => Promise<Handled>,
): Promise<void> {
  const format = formatOf(req.headers['content-type']);
  if (!format) {
    send(res, 'json', 415, statusResponse('json', RPC_CODE.invalidArgument, 'Content-Type must be application/x-protobuf or application/json'));
    return;
  }
  try {
    const key = limits.check?.(req.headers.authorization);
    if (key !== undefined && !key.ok) {
      throw new AppError(401, 'unauthorized', `${key.message} (an ingest key of FLOWLENS_INGEST_TOKENS; exporters send it with their headers setting)`, {
        headers: { 'WWW-Authenticate': 'Bearer realm="flowlens-otlp"' },
      });
    }
    const body = await readRawBody(req, limits.maxBodyBytes);
    const { partial } = await handle(format, body);
    send(res, format, 200, exportResponse(format, signal, partial));
  } catch (err) {
    if (err instanceof OtlpDecodeError) {
      send(res, format, 400, statusResponse(format, RPC_CODE.invalidArgument, err.message));
      return;
    }
    if (err instanceof AppError && err.operational) {
      for (const [name, value] of Object.entries(err.options.headers ?? {})) res.setHeader(name, value);
      send(res, format, err.status, statusResponse(format, rpcCodeFor(err.status), err.message));
      return;
    }
    throw err;
  }
}

function decodeTraces(format: OtlpFormat, body: Buffer): TracesRequest {
  return guardDepth(() => (format === 'json' ? decodeTracesJson(body.toString('utf8')) : decodeTracesProtobuf(body)));
}

function decodeLogs(format: OtlpFormat, body: Buffer): LogsRequest {
  return guardDepth(() => (format === 'json' ? decodeLogsJson(body.toString('utf8')) : decodeLogsProtobuf(body)));
}

/** Attribute values nest (arrays of maps of arrays…); a body nested past the stack is bad data, not a crash. */
function guardDepth<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof RangeError) throw new OtlpDecodeError('request body is nested too deeply');
    throw err;
  }
}

async function exportTraces(deps: OtlpRoutesDeps, request: TracesRequest): Promise<Handled> {
  const rows: OtelTraceRow[] = [];
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) for (const span of ss.spans) rows.push(toOtelTraceRow(span, rs.resource, ss.scope));
  }
  const retail = retailRecordsFromTraces(request);
  const [spansOutcome, events] = await Promise.all([deps.spans.submit(rows), ingest(deps.ingestor, 'otlp_traces', retail)]);
  throwIfUnavailable(spansOutcome);
  const rejected = rejectedOf(events, retail);
  if (!rejected) return {};
  return {
    partial: {
      rejected: rejected.count,
      errorMessage: `${rejected.count} of ${retail.length} spans with retail.* attributes were not stored as business events (the spans themselves were stored): ${rejected.reasons}`,
    },
  };
}

async function exportLogs(deps: OtlpRoutesDeps, request: LogsRequest): Promise<Handled> {
  let total = 0;
  for (const rl of request.resourceLogs) for (const sl of rl.scopeLogs) total += sl.logRecords.length;
  const retail = retailRecordsFromLogs(request);
  const events = await ingest(deps.ingestor, 'otlp_logs', retail);
  const rejected = rejectedOf(events, retail);
  const messages: string[] = [];
  if (rejected) messages.push(`${rejected.count} of ${retail.length} log records with retail.* attributes were rejected: ${rejected.reasons}`);
  const ignored = total - retail.length;
  if (ignored > 0) messages.push(`${ignored} log records without retail.* attributes were accepted but not stored (Flowlens keeps log records only as business events)`);
  if (messages.length === 0) return {};
  return { partial: { rejected: rejected?.count ?? 0, errorMessage: messages.join('; ') } };
}

async function ingest(ingestor: EventIngestor, source: string, retail: readonly RetailRecord[]): Promise<IngestOutcome | undefined> {
  if (retail.length === 0) return undefined;
  const outcome = await ingestor.ingest(
    source,
    retail.map((r, index) => ({ index, value: r.value })),
  );
  if (outcome.kind === 'unavailable') {
    throw new AppError(outcome.status, outcome.status === 429 ? 'overloaded' : 'unavailable', outcome.message, {
      headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
    });
  }
  return outcome;
}

function throwIfUnavailable(outcome: CommitOutcome): void {
  if (outcome.ok) return;
  if (outcome.reason === 'rejected') throw new AppError(400, 'spans_refused', outcome.message.replace('events', 'spans'));
  const status = outcome.reason === 'overloaded' ? 429 : 503;
  throw new AppError(status, outcome.reason, outcome.message, { headers: { 'Retry-After': String(Math.max(1, outcome.retryAfterSeconds)) } });
}

/** How many retail records the pipeline refused, and why, record by record (the first few). */
function rejectedOf(outcome: IngestOutcome | undefined, retail: readonly RetailRecord[]): { count: number; reasons: string } | undefined {
  if (!outcome || outcome.kind === 'unavailable' || outcome.response.rejected === 0) return undefined;
  const byIndex = new Map<number, string[]>();
  for (const e of outcome.response.errors) {
    const list = byIndex.get(e.index) ?? [];
    list.push(`${e.field} ${e.message}`);
    byIndex.set(e.index, list);
  }
  const shown = [...byIndex.entries()].slice(0, MAX_REPORTED_RECORDS).map(([index, issues]) => `${retail[index]?.label ?? `record ${index}`}: ${issues.join(', ')}`);
  const more = outcome.response.rejected - shown.length;
  return { count: outcome.response.rejected, reasons: shown.join('; ') + (more > 0 ? `; and ${more} more` : '') };
}

function rpcCodeFor(status: number): number {
  if (status === 429) return RPC_CODE.resourceExhausted;
  if (status === 503) return RPC_CODE.unavailable;
  if (status === 401) return RPC_CODE.unauthenticated;
  if (status >= 500) return RPC_CODE.internal;
  return RPC_CODE.invalidArgument;
}

function send(res: Response, format: OtlpFormat, status: number, body: Buffer): void {
  res.status(status).setHeader('Content-Type', CONTENT_TYPES[format]);
  res.end(body);
}
