import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { LIVE_EVENTS, type Throughput } from '../../server/contracts/api.js';
import { asRole } from '../support/access.js';
import { startChildServer } from '../support/childServer.js';
import { latency, type Latency } from './answersBench.js';

export type LiveBenchResult = {
  events: number;
  /** POST /v1/events sent → its 200 (durable in the spool): the baseline. */
  ack: Latency;
  /** POST sent → the `loaded` signal that follows it reaches the socket.io client. */
  loaded: Latency;
  /** POST sent → a `throughput` push that counts the event reaches the socket.io client. */
  throughput: Latency;
};

const INGEST_TOKEN = 'bench-live-ingest-token';

const counted = (t: Throughput) => t.series.reduce((n, s) => n + s.points.reduce((m, p) => m + p.count, 0), 0);

/** Resolves with the time (performance.now()) of the first `event` payload that `accept` takes, from now on. */
function next<T>(socket: Socket, event: string, accept: (payload: T) => boolean, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} push within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const on = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(performance.now());
    };
    socket.on(event, on);
  });
}

/**
 * Live latency: a socket.io client (Node, socket.io-client, a viewer API token) on a child server, events posted
 * one at a time to POST /v1/events; from the send until the `loaded` signal and until a `throughput` push that
 * counts the event, beside the HTTP acknowledgement of the same post (the baseline: the ratio is what the live
 * path adds to an ingest the sender already waited for).
 */
export async function liveBench(options: { events: number }, log: (line: string) => void): Promise<LiveBenchResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-live-'));
  const server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_INGEST_TOKENS: INGEST_TOKEN });
  const socket: Socket = io(server.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: asRole('viewer') });
  try {
    let shown = 0;
    socket.on(LIVE_EVENTS.throughput, (t: Throughput) => (shown = Math.max(shown, counted(t))));
    await next<Throughput>(socket, LIVE_EVENTS.throughput, () => true);
    const ack: number[] = [];
    const loaded: number[] = [];
    const pushed: number[] = [];
    // One warm-up event (the first load compiles the engine's insert pipeline), then the timed ones.
    for (let i = -1; i < options.events; i++) {
      const id = `bench-live-${i}`;
      const event = { event_id: id, correlation_id: id, flow: 'order_to_cash', step: 'shop.order.created', system: 'bench-live', occurred_at: new Date().toISOString(), keys: { order_id: `#${id}` } };
      const expected = shown + 1;
      const sentAt = Date.now();
      const loadedSeen = next<{ at: number }>(socket, LIVE_EVENTS.loaded, (p) => p.at >= sentAt);
      const countedSeen = next<Throughput>(socket, LIVE_EVENTS.throughput, (t) => counted(t) >= expected);
      const started = performance.now();
      const response = await fetch(`${server.baseUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/x-ndjson' },
        body: `${JSON.stringify(event)}\n`,
      });
      const acked = performance.now();
      if (!response.ok) throw new Error(`POST /v1/events answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      const [loadedAt, countedAt] = await Promise.all([loadedSeen, countedSeen]);
      if (i >= 0) {
        ack.push(acked - started);
        loaded.push(loadedAt - started);
        pushed.push(countedAt - started);
      }
      // Spread over the live ticker's 500 ms cycle, so the figure is not one phase of it.
      await new Promise((r) => setTimeout(r, 200 + ((i * 377) % 500)));
    }
    const result = { events: options.events, ack: latency(ack), loaded: latency(loaded), throughput: latency(pushed) };
    log(`live: ack p50 ${result.ack.p50.toFixed(0)} ms; loaded p50 ${result.loaded.p50.toFixed(0)} / p95 ${result.loaded.p95.toFixed(0)} ms; throughput p50 ${result.throughput.p50.toFixed(0)} / p95 ${result.throughput.p95.toFixed(0)} ms`);
    return result;
  } finally {
    socket.close();
    await server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function liveSection(r: LiveBenchResult, machine: string): string[] {
  const ratio = (a: number, b: number) => (a / b).toFixed(1);
  const row = (what: string, l: Latency) => `| ${what} | ${l.p50.toFixed(0)} | ${l.p95.toFixed(0)} | ${ratio(l.p50, r.ack.p50)} | ${ratio(l.p95, r.ack.p95)} |`;
  return [
    `## Live latency: POST /v1/events → socket.io client, vs the HTTP acknowledgement`,
    ``,
    machine,
    `Command: \`npm run bench -- --only live --live-events ${r.events}\``,
    ``,
    `A socket.io client in Node (socket.io-client, websocket transport, viewer API token) on a child server (\`npm run serve\`, empty store); ` +
      `${r.events} events posted one at a time (after one warm-up), each timed from the send. "Loaded" is the \`loaded\` signal that follows it (at most four a second), ` +
      `"throughput" the first \`throughput\` push that counts it (the ticker checks every 500 ms). The baseline is the same post's HTTP acknowledgement (durable in the spool).`,
    ``,
    `| until | p50 ms | p95 ms | ÷ ack (p50) | ÷ ack (p95) |`,
    `|---|---:|---:|---:|---:|`,
    row('HTTP 200 (baseline)', r.ack),
    row('`loaded` on the socket', r.loaded),
    row('`throughput` counting it on the socket', r.throughput),
  ];
}
