import type { EventRow } from './eventRows.js';

/** The port collectors write through. `token` identifies the batch: a retry with the same token is stored once. */
export type WriteResult = { ok: true } | { ok: false; retryable: boolean; error: Error };

export type RowSink<Row> = {
  write(rows: readonly Row[], token: string): Promise<WriteResult>;
};

export type EventSink = RowSink<EventRow>;
