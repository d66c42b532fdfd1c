import { createChdbConnection, type Connection, type ConnBaseQueryParams, type ConnExecParams, type ConnInsertParams } from 'chdb/connection';
import type { Readable } from 'node:stream';
import { isBackgroundWork } from './backgroundWork.js';
import { inlineParams } from './inlineParams.js';
import { join, quoteIdentifier, sql } from './sql.js';

/**
 * Settings of a background query (backgroundWork.ts): one thread, at the lowest CPU priority. Measured beside a
 * 0.7 s query: a 40 ms query took 60–150 ms with default settings, 25 ms with these.
 */
export const BACKGROUND_QUERY_SETTINGS = { max_threads: 1, os_thread_priority: 19 } as const;

/** Settings chDB leaves out (they only mean something to an HTTP server), so there is nothing to put back. */
const NOT_SET = new Set(['wait_end_of_query', 'send_progress_in_http_headers', 'http_response_buffer_size', 'http_headers_progress_interval_ms', 'http_send_progress_interval_ms', 'enable_http_compression', 'http_zlib_compression_level', 'http_response_compression_method', 'http_native_compression_disable_checksumming_on_decompress']);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Lane = { connection: Connection<Readable>; queued: number; tail: Promise<unknown> };

/**
 * The embedded engine (chDB, bound to one data folder per process) as one `@clickhouse/client` connection over
 * `size` engine connections. Each runs one call at a time, so a call goes to the one with the fewest calls
 * queued (of those that are not background work's): a costly query (an answer recomputed behind the screens, the
 * lag snapshot) no longer holds up the cheap ones a screen is waiting for — they run beside it, sharing the CPU.
 * Query parameters are written into the query as typed literals (inlineParams.ts), because chDB's Node binding
 * runs parameterised queries one at a time process-wide. Background work has a connection of its own (one call at a time, BACKGROUND_QUERY_SETTINGS):
 * were it to share theirs, a screen's query could wait behind a background query starved of CPU.
 *
 * chDB applies a call's `clickhouse_settings` with `SET`, which would stay on its connection for every later
 * call (an insert's deduplication token, or a background query's priority, on a screen's query); each call's
 * settings are put back to their defaults before its connection takes another call.
 */
export function createEmbeddedConnection(path: string, size: number): Connection<Readable> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`an embedded connection needs at least one engine connection, got ${size}`);
  const lanes: Lane[] = Array.from({ length: size }, () => ({ connection: createChdbConnection({ path }), queued: 0, tail: Promise.resolve() }));

  // With more than one connection, the first is background work's own: a screen's query never waits behind it.
  const backgroundLane = size > 1 ? lanes[0]! : undefined;
  const foregroundLanes = size > 1 ? lanes.slice(1) : lanes;

  function onLane<T>(lane: Lane, call: (connection: Connection<Readable>) => Promise<T>): Promise<T> {
    lane.queued++;
    const turn = lane.tail.then(() => call(lane.connection)).finally(() => lane.queued--);
    lane.tail = turn.catch(() => undefined);
    return turn;
  }
  const leastQueued = () => foregroundLanes.reduce((best, l) => (l.queued < best.queued ? l : best));

  function send<P extends ConnBaseQueryParams, R>(params: P, call: (connection: Connection<Readable>, params: P) => Promise<R>): Promise<R> {
    const background = isBackgroundWork() && backgroundLane !== undefined;
    const settings = { ...params.clickhouse_settings, ...(background ? BACKGROUND_QUERY_SETTINGS : {}) };
    const names = Object.entries(settings)
      .filter(([name, value]) => value !== undefined && !NOT_SET.has(name))
      .map(([name]) => name);
    const inlined: P = { ...params, query: inlineParams(params.query, params.query_params), query_params: undefined, clickhouse_settings: settings };
    const work = (connection: Connection<Readable>) =>
      names.length === 0
        ? call(connection, inlined)
        : call(connection, inlined).finally(() => resetSettings(connection, names));
    return onLane(background ? backgroundLane! : leastQueued(), work);
  }

  return {
    ping: (params) => foregroundLanes[0]!.connection.ping(params),
    query: (params) => send(params, (c, p) => c.query(p)),
    command: (params) => send(params, (c, p) => c.command(p)),
    exec: (params: ConnExecParams<Readable>) => send(params, (c, p) => c.exec(p)),
    insert: (params: ConnInsertParams<Readable>) => send(params, (c, p) => c.insert(p)),
    close: async () => {
      await Promise.allSettled(lanes.map((l) => l.connection.close()));
    },
  };
}

async function resetSettings(connection: Connection<Readable>, names: readonly string[]): Promise<void> {
  const valid = names.filter((n) => SETTING_NAME.test(n));
  if (valid.length === 0) return;
  // Setting names are identifiers (no parameter can stand for one): quoted by the one identifier helper.
  const { query } = sql`SET ${join(
    valid.map((n) => sql`${quoteIdentifier(n)} = DEFAULT`),
    ', ',
  )}`.render();
  await connection.command({ query });
}
