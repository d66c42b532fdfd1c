import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccessBenchResult } from './accessBench.js';
import type { AnswersBenchResult } from './answersBench.js';
import type { DashboardBenchResult } from './dashboardBench.js';
import type { IngestBenchResult } from './ingestBench.js';
import type { LiveBenchResult } from './liveBench.js';
import type { OtlpBenchResult } from './otlpBench.js';
import { storageTotals, type StorageBenchResult } from './storageBench.js';
import type { WebhookBenchResult } from './webhookBench.js';

/**
 * `npm run bench -- --quick`: every bench at a small size (the whole run a few minutes on 2 cores), each figure
 * below compared with test/bench/quickBaseline.json; `--record` adds this run to that file, whose values are the
 * median of its last three runs. A figure fails when it is worse than its recorded value by more than 2×.
 * Compared are ratios to a baseline measured in the same run wherever there is one (absolute rates move between
 * machines), and the figures a machine's speed barely moves: bytes, and latencies set by the server's own timers.
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

/** `higher`: fails below half its recorded value; `lower`: fails above twice. */
export type Figure = { name: string; value: number; better: 'higher' | 'lower' };

export function ingestFigures(r: IngestBenchResult): Figure[] {
  return [
    { name: 'ingest: POST /v1/events ÷ client.insert (events/s)', value: r.api.eventsPerSecond / r.clientInsert.eventsPerSecond, better: 'higher' },
    { name: 'ingest: POST /v1/events ÷ engine file load (events/s)', value: r.api.eventsPerSecond / r.engineFile.eventsPerSecond, better: 'higher' },
  ];
}

export function otlpFigures(r: OtlpBenchResult): Figure[] {
  return [{ name: 'otlp: POST /v1/traces ÷ engine, same batches (spans/s)', value: r.api.perSecond / r.engineBatches.perSecond, better: 'higher' }];
}

export function webhookFigures(r: WebhookBenchResult): Figure[] {
  return [{ name: 'webhooks: POST /webhooks/shopify ÷ engine, one file (events/s)', value: r.api.perSecond / r.engineFile.perSecond, better: 'higher' }];
}

export function answersFigures(r: AnswersBenchResult): Figure[] {
  return r.answers.map((a) => ({ name: `answers: ${a.name}: API afresh ÷ engine's own time (p50)`, value: a.afresh.p50 / Math.max(a.engine.p50, 1), better: 'lower' }));
}

export function dashboardFigures(r: DashboardBenchResult): Figure[] {
  return [
    { name: 'dashboard: initial JavaScript, KiB gzipped', value: r.bundle.initialJsGzipKiB, better: 'lower' },
    { name: 'dashboard: first meaningful paint, at scale ÷ empty store (p95)', value: r.firstPaint.scale.p95 / r.firstPaint.empty.p95, better: 'lower' },
    { name: 'dashboard: live update ack → pixels at scale, p95 ms', value: r.liveUpdate.scale.p95, better: 'lower' },
  ];
}

export function accessFigures(r: AccessBenchResult): Figure[] {
  const base = r.paths[0]!.perSecond;
  return r.paths.slice(1).map((p) => ({ name: `access: ${p.name} ÷ no access control (requests/s)`, value: p.perSecond / base, better: 'higher' as const }));
}

export function storageFigures(r: StorageBenchResult): Figure[] {
  const f = storageTotals(r);
  return [
    { name: 'storage: bytes on disk per event, all tables', value: f.bytesPerEvent, better: 'lower' },
    { name: 'storage: compression (uncompressed ÷ on disk)', value: f.compression, better: 'higher' },
  ];
}

export function liveFigures(r: LiveBenchResult): Figure[] {
  return [
    { name: 'live: POST → `loaded` on the socket, p95 ms', value: r.loaded.p95, better: 'lower' },
    { name: 'live: POST → `throughput` counting it on the socket, p95 ms', value: r.throughput.p95, better: 'lower' },
  ];
}

type Recorded = { value: number; better: Figure['better']; runs: number[] };
type BaselineFile = { note: string; machine: string; updated: string; figures: Record<string, Recorded> };

const BASELINE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'quickBaseline.json');
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function readBaseline(): BaselineFile | undefined {
  return existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as BaselineFile) : undefined;
}

/** Adds this run to quickBaseline.json (each figure keeps its last three runs; its value is their median). */
export function recordQuick(figures: readonly Figure[], machine: string): void {
  const previous = readBaseline()?.figures ?? {};
  const recorded: Record<string, Recorded> = { ...previous };
  for (const f of figures) {
    const runs = [...(previous[f.name]?.runs ?? []), f.value].slice(-3);
    recorded[f.name] = { value: median(runs), better: f.better, runs };
  }
  const file: BaselineFile = {
    note: 'Written by `npm run bench -- --quick --record`: each value is the median of its last three recorded runs. `npm run bench:quick` fails when a figure is below half its value (higher is better) or above twice it (lower is better).',
    machine,
    updated: new Date().toISOString().slice(0, 10),
    figures: recorded,
  };
  writeFileSync(BASELINE, `${JSON.stringify(file, null, 2)}\n`);
}

/** Each figure against its recorded value: the lines to print, and the figures that fell below half (or above twice) of it. */
export function compareQuick(figures: readonly Figure[]): { lines: string[]; failed: string[] } {
  const recorded = readBaseline()?.figures ?? {};
  const lines: string[] = [];
  const failed: string[] = [];
  for (const f of figures) {
    const r = recorded[f.name];
    if (r === undefined) {
      lines.push(`  ${f.name}: ${f.value.toPrecision(3)} (nothing recorded)`);
      continue;
    }
    const worse = f.better === 'higher' ? f.value < r.value / 2 : f.value > r.value * 2;
    const verdict = worse ? (f.better === 'higher' ? 'FAILED: below half its recorded value' : 'FAILED: above twice its recorded value') : 'ok';
    lines.push(`  ${f.name}: ${f.value.toPrecision(3)} (recorded ${r.value.toPrecision(3)}, ${f.better} is better) ${verdict}`);
    if (worse) failed.push(f.name);
  }
  return { lines, failed };
}
