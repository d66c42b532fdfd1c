import { describe, expect, it } from 'vitest';
import type { AccessBenchResult } from './accessBench.js';
import type { AnswersBenchResult } from './answersBench.js';
import type { ApiRun } from './benchSupport.js';
import type { DashboardBenchResult } from './dashboardBench.js';
import type { IngestBenchResult } from './ingestBench.js';
import type { LiveBenchResult } from './liveBench.js';
import type { OtlpBenchResult } from './otlpBench.js';
import {
  accessFigures,
  answersFigures,
  bundleFigures,
  compareQuick,
  dashboardFigures,
  ingestFigures,
  liveFigures,
  otlpFigures,
  storageFigures,
  webhookFigures,
  type Figure,
  type Recorded,
} from './quick.js';
import type { WebhookBenchResult } from './webhookBench.js';

// One quick run's results, as plain values (the benches themselves need servers, an engine and a browser).
const lat = (p50: number, p95: number) => ({ p50, p95, n: 3 });
const rate = (perSecond: number) => ({ seconds: 1, perSecond });
const api = (perSecond: number): ApiRun => ({ ...rate(perSecond), ackSeconds: 1, refusals: 0, serverPeakRssMiB: 300, inserts: [] });

const ingest: IngestBenchResult = {
  events: 50_000,
  batch: 5_000,
  concurrency: 8,
  api: { ...api(20_000), eventsPerSecond: 20_000 },
  clientInsert: { seconds: 1, eventsPerSecond: 20_000 },
  engineFile: { seconds: 1, eventsPerSecond: 50_000 },
};
const otlp: OtlpBenchResult = {
  spans: 20_000,
  spansPerRequest: 2_000,
  concurrency: 8,
  requests: 10,
  bodyMiB: 6,
  retailSpans: 6_667,
  api: { ...api(8_000), rejectedEvents: 0 },
  clientInsert: rate(20_000),
  engineBatches: rate(30_000),
  engineOneFile: rate(60_000),
  engineWithEvents: rate(15_000),
};
const webhooks: WebhookBenchResult = {
  deliveries: 500,
  concurrency: 16,
  bodyBytes: 2_072,
  api: api(150),
  mapOnly: rate(3_000),
  engineFile: rate(2_000),
  engineSmallBatches: { ...rate(500), rowsPerLoad: 60, loads: 8 },
};
const answers: AnswersBenchResult = {
  events: 53_000,
  correlations: 10_000,
  loadSeconds: 1,
  settleSeconds: 3,
  snapshot: { movements: 36_000, seconds: 1 },
  serverPeakRssMiB: 400,
  answers: [{ name: 'overview', shared: lat(3, 4), afresh: lat(60, 90), store: lat(50, 70), engine: lat(40, 60), queries: 10 }],
};
const dashboard: DashboardBenchResult = {
  bundle: { initialJsGzipKiB: 137, totalJsGzipKiB: 338, cssGzipKiB: 8, initialFiles: ['assets/index.js'] },
  events: 53_000,
  correlations: 10_000,
  loadSeconds: 1,
  firstPaint: { empty: lat(600, 700), scale: lat(650, 800) },
  liveUpdate: { empty: lat(200, 260), scale: lat(210, 300) },
  serverPeakRssMiB: 400,
};
const access: AccessBenchResult = {
  requests: 2_000,
  concurrency: 8,
  paths: [
    { name: 'no access control (baseline)', perSecond: 1_000, p50Ms: 5, p95Ms: 20 },
    { name: 'API token (Authorization: Bearer)', perSecond: 950, p50Ms: 5, p95Ms: 21 },
    { name: 'session cookie', perSecond: 900, p50Ms: 6, p95Ms: 22 },
  ],
  signIn: { count: 20, p50Ms: 120, p95Ms: 160 },
};
const live: LiveBenchResult = { events: 8, ack: lat(10, 15), loaded: lat(150, 240), throughput: lat(500, 660) };

const run: Figure[] = [
  ...ingestFigures(ingest),
  ...otlpFigures(otlp),
  ...webhookFigures(webhooks),
  ...answersFigures(answers),
  ...dashboardFigures(dashboard),
  ...accessFigures(access),
  ...storageFigures({ bytesPerEvent: 70.4, compression: 7.47 }),
  ...liveFigures(live),
];

/** This run recorded as the baseline (each figure's value as its own recorded value). */
const recordedAs = (figures: readonly Figure[]): Record<string, Recorded> =>
  Object.fromEntries(figures.map((f) => [f.name, { value: f.value, better: f.better, runs: [f.value] }]));

const scaled = (f: Figure, factor: number): Figure => ({ ...f, value: f.value * factor });
/** `factor` times worse: a rate or ratio that should be high divided by it, a size or latency multiplied. */
const worse = (f: Figure, factor: number): Figure => scaled(f, f.better === 'higher' ? 1 / factor : factor);

describe('the quick bench: which figures gate npm test', () => {
  it('compares only the figures that stayed steady over repeated runs: ingest against the engine, the bundle, storage bytes, the live ticker', () => {
    expect(run.filter((f) => f.compared).map((f) => f.name)).toEqual([
      'ingest: POST /v1/events ÷ engine file load (events/s)',
      'dashboard: initial JavaScript, KiB gzipped',
      'storage: bytes on disk per event, all tables',
      'storage: compression (uncompressed ÷ on disk)',
      'live: POST → `throughput` counting it on the socket, p50 ms',
    ]);
  });

  it('measures the initial JavaScript the same way with or without the browser part of the dashboard bench', () => {
    expect(bundleFigures(dashboard.bundle)).toEqual(dashboardFigures(dashboard).filter((f) => f.compared));
  });

  it('computes each figure from its bench result', () => {
    const value = (name: string) => run.find((f) => f.name === name)?.value;
    expect(value('storage: bytes on disk per event, all tables')).toBe(70.4);
    expect(value('dashboard: initial JavaScript, KiB gzipped')).toBe(137);
    expect(value('live: POST → `throughput` counting it on the socket, p50 ms')).toBe(500);
    expect(value('ingest: POST /v1/events ÷ engine file load (events/s)')).toBeCloseTo(0.4);
    expect(value('access: session cookie ÷ no access control (requests/s)')).toBeCloseTo(0.9);
  });
});

describe('compareQuick', () => {
  const recorded = recordedAs(run);

  it('passes a run equal to its baseline, and prints every figure, the informational ones marked as not compared', () => {
    const { lines, failed } = compareQuick(run, recorded);
    expect(failed).toEqual([]);
    expect(lines).toHaveLength(run.length + 2);
    expect(lines[0]).toMatch(/^Compared/);
    const notCompared = lines.findIndex((l) => l.startsWith('Not compared'));
    expect(lines.slice(notCompared + 1).every((l) => !l.includes(' ok'))).toBe(true);
    expect(lines.slice(notCompared + 1).some((l) => l.includes('access: API token'))).toBe(true);
  });

  it('fails every compared figure made a little over 2× worse, and none at exactly 2×', () => {
    for (const f of run.filter((x) => x.compared)) {
      expect(compareQuick([worse(f, 2)], recorded).failed, f.name).toEqual([]);
      const { lines, failed } = compareQuick([worse(f, 2.01)], recorded);
      expect(failed, f.name).toEqual([f.name]);
      expect(lines[1]).toMatch(f.better === 'higher' ? /FAILED: below half its recorded value$/ : /FAILED: above twice its recorded value$/);
    }
  });

  it('passes compared figures that got better by any amount', () => {
    expect(compareQuick(run.filter((f) => f.compared).map((f) => worse(f, 1 / 10)), recorded).failed).toEqual([]);
  });

  it('never fails an informational figure, however far it moved', () => {
    expect(compareQuick(run.filter((f) => !f.compared).map((f) => worse(f, 10)), recorded).failed).toEqual([]);
  });

  it('fails a compared figure with nothing recorded, and says how to record it', () => {
    const storage = run.find((f) => f.name === 'storage: bytes on disk per event, all tables')!;
    const { [storage.name]: _, ...withoutIt } = recorded;
    const { lines, failed } = compareQuick([storage], withoutIt);
    expect(failed).toEqual([storage.name]);
    expect(lines[1]).toContain('nothing recorded');
    expect(lines[1]).toContain('npm run bench -- --quick --record');
  });

  it('prints an informational figure with nothing recorded without failing', () => {
    const otlpRatio = run.find((f) => f.name.startsWith('otlp:'))!;
    const { lines, failed } = compareQuick([otlpRatio], {});
    expect(failed).toEqual([]);
    expect(lines.at(-1)).toMatch(/\(recorded —\)$/);
  });

  it('fails a compared figure that is not a number (a bench that measured nothing)', () => {
    const live50 = run.find((f) => f.name === 'live: POST → `throughput` counting it on the socket, p50 ms')!;
    const { lines, failed } = compareQuick([{ ...live50, value: Number.NaN }], recorded);
    expect(failed).toEqual([live50.name]);
    expect(lines[1]).toMatch(/FAILED: not a number$/);
  });
});
