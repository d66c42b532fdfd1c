import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccessBenchResult } from './accessBench.js';
import type { AnswersBenchResult } from './answersBench.js';
import type { DashboardBenchResult, WebBundle } from './dashboardBench.js';
import type { IngestBenchResult } from './ingestBench.js';
import type { LiveBenchResult } from './liveBench.js';
import type { OtlpBenchResult } from './otlpBench.js';
import type { WebhookBenchResult } from './webhookBench.js';

/**
 * `npm run bench -- --quick` (`npm run bench:quick`, the last step of `npm test`): the benches of QUICK_BENCHES at
 * a small size, their figures compared with test/bench/quickBaseline.json; `--record` adds this run to that file,
 * whose values are the median of its last three runs. A compared figure fails when it is worse than its recorded
 * value by more than 2×. Compared are only figures that stayed within 1.5× over repeated runs on the busy 2-core
 * machine (docs/BENCHMARKS.md): bytes the schema and the build decide, and the live latency the server's 500 ms
 * ticker sets. Same-run ratios moved 1.5–13× between runs at this size, the browser's timings up to 5.7×: they are
 * printed, marked "not compared", when their bench runs.
 */

/** The sizes `--quick` runs at (each can still be overridden on the command line). */
export const QUICK_SIZES: Readonly<Record<string, number>> = {
  events: 50_000,
  batch: 5_000,
  concurrency: 8,
  spans: 20_000,
  'spans-per-request': 2_000,
  'otlp-concurrency': 8,
  deliveries: 500,
  'webhook-concurrency': 16,
  correlations: 10_000,
  repeat: 3,
  requests: 2_000,
  'access-concurrency': 8,
  'storage-correlations': 20_000,
  'live-events': 8,
};

/**
 * The benches `--quick` runs (without `--only`): those with a figure steady enough to compare, the dashboard's
 * initial JavaScript without its browser part. OTLP, webhooks, answers, access and the browser figures have none
 * (each moved 1.7–13× between runs on the shared machine); `npm run bench -- --quick --only NAME` still runs one
 * of them at the small size, its figures printed as not compared.
 */
export const QUICK_BENCHES = ['bundle', 'ingest', 'storage', 'live'] as const;

/**
 * `higher`: fails below half its recorded value; `lower`: fails above twice. A figure with `compared: false` is
 * printed beside its recorded value and never fails the run.
 */
export type Figure = { name: string; value: number; better: 'higher' | 'lower'; compared: boolean };

/**
 * The ingest path against the engine loading the same rows from one file, in the same run: the one throughput
 * figure that gates, 0.27–0.43 over 8 runs on the busy machine (median ~0.35, so a run fails below ~0.17: the API
 * at half its speed against the engine). Against `client.insert` it moved more (0.62–1.07): printed only.
 */
export function ingestFigures(r: IngestBenchResult): Figure[] {
  return [
    { name: 'ingest: POST /v1/events ÷ client.insert (events/s)', value: r.api.eventsPerSecond / r.clientInsert.eventsPerSecond, better: 'higher', compared: false },
    { name: 'ingest: POST /v1/events ÷ engine file load (events/s)', value: r.api.eventsPerSecond / r.engineFile.eventsPerSecond, better: 'higher', compared: true },
  ];
}

export function otlpFigures(r: OtlpBenchResult): Figure[] {
  return [{ name: 'otlp: POST /v1/traces ÷ engine, same batches (spans/s)', value: r.api.perSecond / r.engineBatches.perSecond, better: 'higher', compared: false }];
}

export function webhookFigures(r: WebhookBenchResult): Figure[] {
  return [{ name: 'webhooks: POST /webhooks/shopify ÷ engine, one file (events/s)', value: r.api.perSecond / r.engineFile.perSecond, better: 'higher', compared: false }];
}

export function answersFigures(r: AnswersBenchResult): Figure[] {
  return r.answers.map((a) => ({ name: `answers: ${a.name}: API afresh ÷ engine's own time (p50)`, value: a.afresh.p50 / Math.max(a.engine.p50, 1), better: 'lower', compared: false }));
}

/** The build decides it: the same sources give the same bytes. */
export function bundleFigures(b: WebBundle): Figure[] {
  return [{ name: 'dashboard: initial JavaScript, KiB gzipped', value: b.initialJsGzipKiB, better: 'lower', compared: true }];
}

export function dashboardFigures(r: DashboardBenchResult): Figure[] {
  return [
    ...bundleFigures(r.bundle),
    { name: 'dashboard: first meaningful paint, at scale ÷ empty store (p95)', value: r.firstPaint.scale.p95 / r.firstPaint.empty.p95, better: 'lower', compared: false },
    { name: 'dashboard: live update ack → pixels at scale, p50 ms', value: r.liveUpdate.scale.p50, better: 'lower', compared: false },
    { name: 'dashboard: live update ack → pixels at scale, p95 ms', value: r.liveUpdate.scale.p95, better: 'lower', compared: false },
  ];
}

export function accessFigures(r: AccessBenchResult): Figure[] {
  const base = r.paths[0]!.perSecond;
  return r.paths.slice(1).map((p) => ({ name: `access: ${p.name} ÷ no access control (requests/s)`, value: p.perSecond / base, better: 'higher' as const, compared: false }));
}

/** From storageTotals (storageBench.ts): bytes on disk per event over every table, and the compression; the schema decides both. */
export function storageFigures(totals: { bytesPerEvent: number; compression: number }): Figure[] {
  return [
    { name: 'storage: bytes on disk per event, all tables', value: totals.bytesPerEvent, better: 'lower', compared: true },
    { name: 'storage: compression (uncompressed ÷ on disk)', value: totals.compression, better: 'higher', compared: true },
  ];
}

/**
 * `throughput` is pushed on the server's 500 ms ticker, which absorbs most of how long the load took: its median
 * stayed at 416–594 ms over 24 runs. Its p95 (the slowest of 8 events: 544–1,010 ms) and `loaded`, which follows
 * the load directly (at most four a second; 75–497 ms p50), moved with the machine's load: printed only.
 */
export function liveFigures(r: LiveBenchResult): Figure[] {
  return [
    { name: 'live: POST → `loaded` on the socket, p50 ms', value: r.loaded.p50, better: 'lower', compared: false },
    { name: 'live: POST → `loaded` on the socket, p95 ms', value: r.loaded.p95, better: 'lower', compared: false },
    { name: 'live: POST → `throughput` counting it on the socket, p50 ms', value: r.throughput.p50, better: 'lower', compared: true },
    { name: 'live: POST → `throughput` counting it on the socket, p95 ms', value: r.throughput.p95, better: 'lower', compared: false },
  ];
}

export type Recorded = { value: number; better: Figure['better']; runs: number[] };
type BaselineFile = { note: string; machine: string; updated: string; figures: Record<string, Recorded> };

const BASELINE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'quickBaseline.json');
const RECORD = 'npm run bench -- --quick --record';

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The recorded figures of quickBaseline.json (none when the file is missing). */
export function readBaseline(): Record<string, Recorded> {
  return existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as BaselineFile).figures : {};
}

/** Adds this run to quickBaseline.json (each figure keeps its last three runs; its value is their median). */
export function recordQuick(figures: readonly Figure[], machine: string): void {
  const previous = readBaseline();
  const recorded: Record<string, Recorded> = { ...previous };
  for (const f of figures) {
    const runs = [...(previous[f.name]?.runs ?? []), f.value].slice(-3);
    recorded[f.name] = { value: median(runs), better: f.better, runs };
  }
  const file: BaselineFile = {
    note: `Written by \`${RECORD}\`: each value is the median of its last three recorded runs. \`npm run bench:quick\` fails when a compared figure (test/bench/quick.ts) is below half its value (higher is better) or above twice it (lower is better); the others are printed only.`,
    machine,
    updated: new Date().toISOString().slice(0, 10),
    figures: recorded,
  };
  writeFileSync(BASELINE, `${JSON.stringify(file, null, 2)}\n`);
}

export type Comparison = { lines: string[]; failed: string[] };

/**
 * Each figure against its recorded value: the lines to print (compared figures first) and the compared figures
 * that failed — worse than 2× their recorded value, not a number, or with nothing recorded (a renamed or new
 * figure must be recorded before it can gate anything, rather than pass unseen).
 */
export function compareQuick(figures: readonly Figure[], recorded: Readonly<Record<string, Recorded>>): Comparison {
  const failed: string[] = [];
  const compared = figures.filter((f) => f.compared).map((f) => {
    const r = recorded[f.name];
    const verdict = compareOne(f, r);
    if (verdict !== 'ok') failed.push(f.name);
    return `  ${f.name}: ${show(f.value)} (${r === undefined ? 'nothing recorded' : `recorded ${show(r.value)}, ${f.better} is better`}) ${verdict}`;
  });
  const informational = figures.filter((f) => !f.compared).map((f) => `  ${f.name}: ${show(f.value)} (recorded ${recorded[f.name] === undefined ? '—' : show(recorded[f.name]!.value)})`);
  return {
    lines: [
      'Compared (fails when worse than 2× its recorded value):',
      ...compared,
      ...(informational.length > 0 ? ['Not compared (moved more than 1.5× between runs at this size; for reading only):', ...informational] : []),
    ],
    failed,
  };
}

function compareOne(f: Figure, r: Recorded | undefined): string {
  if (!Number.isFinite(f.value)) return 'FAILED: not a number';
  if (r === undefined) return `FAILED: nothing recorded for it in test/bench/quickBaseline.json (\`${RECORD}\` three times)`;
  if (f.better === 'higher' && f.value < r.value / 2) return 'FAILED: below half its recorded value';
  if (f.better === 'lower' && f.value > r.value * 2) return 'FAILED: above twice its recorded value';
  return 'ok';
}

const show = (n: number) => (Number.isFinite(n) ? n.toPrecision(3) : String(n));
