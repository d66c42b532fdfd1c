import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { migrate } from '../../server/store/migrate.js';
import { openStore } from '../../server/store/clickhouse.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';
import { TEST_PASSWORD, testUsersEnv } from '../support/access.js';
import { launchBrowser, signIn } from '../support/browser.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';
import { settleMerges, snapshotBuilt, type Latency, latency } from './answersBench.js';
import { generateHistory } from './answersData.js';
import { peakRssMiB } from './benchSupport.js';

/** The built web app, gzipped as served: what a first visit loads, every screen's code, the CSS. */
export type WebBundle = { initialJsGzipKiB: number; totalJsGzipKiB: number; cssGzipKiB: number; initialFiles: string[] };

/** The dashboard's budgets (issue "The live dashboard"): initial JavaScript, first meaningful paint, live update. */
export type DashboardBenchResult = {
  bundle: WebBundle;
  events: number;
  correlations: number;
  loadSeconds: number;
  /** First meaningful paint of the wall (ms from navigation start): on an empty store (baseline) and at scale. */
  firstPaint: { empty: Latency; scale: Latency };
  /** An event acknowledged by POST /v1/events → its source on the wall, in the browser (ms). */
  liveUpdate: { empty: Latency; scale: Latency };
  serverPeakRssMiB: number;
};

const INGEST_TOKEN = 'bench-dashboard-token';
const DAY = 86_400_000;
const quiet = { info: () => {}, warn: () => {} };

/** What the wall needs before it means anything: lag per target (or its empty state), exceptions, SLAs. */
const MEANINGFUL = ['[data-testid="lag-erp"],[data-testid="lag-empty"]', '[data-testid="exceptions-total"]', '[data-testid="slas-summary"]'];

/**
 * Runs in the page (as plain JavaScript: this project's Node code has no DOM types) and records, as it happens,
 * when the wall's figures are all on screen (`__fmp`, performance.now() from navigation start) and when each probe
 * source first shows on the freshness panel (`__probes`, Date.now(), compared with the acknowledgement's time in
 * this process — one machine, one clock).
 */
const PAGE_PROBE = `
  window.__probes = {};
  const meaningful = ${JSON.stringify(MEANINGFUL)};
  new MutationObserver(() => {
    if (window.__fmp === undefined && meaningful.every((s) => document.querySelector(s) !== null)) window.__fmp = performance.now();
    for (const tile of document.querySelectorAll('[data-testid^="freshness-probe-"]')) {
      const id = tile.getAttribute('data-testid');
      if (window.__probes[id] === undefined) window.__probes[id] = Date.now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

/**
 * Whether web/dist/index.html is newer than everything the web build reads: web/ itself, server/ (the app imports
 * its contracts and domain helpers) and the package files. Conservative: a server-only change rebuilds too.
 */
function webBuildFresh(): boolean {
  const built = path.resolve('web/dist/index.html');
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return false;
  }
  const newest = (dir: string) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !/\.test\.tsx?$/.test(e.name) && !path.join(e.parentPath, e.name).startsWith(path.resolve('web/dist')))
      .reduce((n, e) => Math.max(n, statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
  const sources = Math.max(newest(path.resolve('web')), newest(path.resolve('server')), ...['package.json', 'package-lock.json'].map((f) => statSync(path.resolve(f), { throwIfNoEntry: false })?.mtimeMs ?? 0));
  return sources <= builtAt;
}

/**
 * The web app built with `npm run build:web` and measured; with `reuseFresh` (quick mode, at the end of `npm test`
 * right after its build) a web/dist newer than its sources is measured as it is.
 */
export function webBundle(reuseFresh: boolean, log: (line: string) => void): WebBundle {
  if (reuseFresh && webBuildFresh()) {
    log('web/dist is newer than its sources: measuring it as built');
  } else {
    const build = spawnSync('npm', ['run', 'build:web'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build:web failed:\n${build.stdout}\n${build.stderr}`);
  }
  const dist = path.resolve('web/dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) => gzipSync(readFileSync(path.join(dist, file))).length / 1024;
  const all = spawnSync('find', ['assets', '-type', 'f'], { cwd: dist, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const bundle = {
    initialJsGzipKiB: initial.reduce((sum, f) => sum + gz(f), 0),
    totalJsGzipKiB: all.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gz(f), 0),
    cssGzipKiB: all.filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gz(f), 0),
    initialFiles: initial,
  };
  log(`initial JS ${bundle.initialJsGzipKiB.toFixed(0)} KiB gzipped (${bundle.initialFiles.join(', ')}); all JS ${bundle.totalJsGzipKiB.toFixed(0)} KiB`);
  return bundle;
}

/** Who watches the wall: a viewer, the least role that sees it (a test user of access.ts). */
const WATCHER = 'vera';
const VIEWPORT = { viewport: { width: 1600, height: 1000 } };

/** The wall opened `repeat` times, each in a fresh browser context (nothing cached): first meaningful paint. */
async function firstPaints(browser: Browser, server: ChildServer, repeat: number): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i <= repeat; i++) {
    const context = await browser.newContext(VIEWPORT);
    // Signed in before navigation starts (the cookie jar holds the session), so it is not part of the paint.
    await signIn(context, server.baseUrl, WATCHER, TEST_PASSWORD);
    const page = await context.newPage();
    await page.addInitScript({ content: PAGE_PROBE });
    await page.goto(server.baseUrl);
    await page.waitForFunction('window.__fmp !== undefined', undefined, { timeout: 60_000 });
    const fmp = (await page.evaluate('window.__fmp')) as number;
    // The first load warms the server (and the engine's caches) as a user before you would have.
    if (i > 0) samples.push(fmp);
    await context.close();
  }
  return latency(samples);
}

/** `repeat` events from new sources, one at a time: acknowledged → shown on the open wall. */
async function liveUpdates(browser: Browser, server: ChildServer, repeat: number, run: string): Promise<Latency> {
  const context = await browser.newContext(VIEWPORT);
  await signIn(context, server.baseUrl, WATCHER, TEST_PASSWORD);
  const page = await context.newPage();
  await page.addInitScript({ content: PAGE_PROBE });
  await page.goto(server.baseUrl);
  await page.waitForFunction('window.__fmp !== undefined', undefined, { timeout: 60_000 });
  await page.getByTestId('live-indicator').and(page.locator('[data-status="live"]')).waitFor({ timeout: 30_000 });
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const id = `probe-${run}-${i}`;
    const event = { event_id: id, correlation_id: id, flow: 'order_to_cash', step: 'shop.order.created', system: id, occurred_at: new Date().toISOString(), keys: { order_id: `#${id}` } };
    const response = await fetch(`${server.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify(event)}\n`,
    });
    const acked = Date.now();
    if (!response.ok) throw new Error(`POST /v1/events answered ${response.status}: ${await response.text()}`);
    const seen = `window.__probes[${JSON.stringify(`freshness-${id}`)}]`;
    await page.waitForFunction(`${seen} !== undefined`, undefined, { timeout: 30_000 });
    samples.push(((await page.evaluate(seen)) as number) - acked);
    // Spread over the 2 s refresh cycle, so the figure is not one phase of it.
    await new Promise((r) => setTimeout(r, 700 + ((i * 377) % 900)));
  }
  await context.close();
  return latency(samples);
}

export async function measureDashboard(dataDir: string, browser: Browser, repeat: number, run: string, log: (line: string) => void) {
  const server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_LOG_LEVEL: 'info', FLOWLENS_INGEST_TOKENS: INGEST_TOKEN, FLOWLENS_USERS: await testUsersEnv() });
  try {
    await snapshotBuilt(server, 300_000);
    const paint = await firstPaints(browser, server, repeat);
    log(`first meaningful paint (${run}): p50 ${paint.p50.toFixed(0)} ms, p95 ${paint.p95.toFixed(0)} ms`);
    const live = await liveUpdates(browser, server, repeat, run);
    log(`live update, ack → pixels (${run}): p50 ${live.p50.toFixed(0)} ms, p95 ${live.p95.toFixed(0)} ms`);
    return { paint, live, rss: peakRssMiB(server.process.pid!) };
  } finally {
    await server.kill('SIGTERM');
  }
}

/**
 * The dashboard's budgets: the JavaScript a first visit loads (gzipped, as served), the wall's first meaningful
 * paint on loopback, and how long an acknowledged event takes to show on an open wall — each on an empty store
 * (the baseline) and with `correlations` transactions (5.3 events each) over the last 24 h stored.
 */
export async function dashboardBench(options: { correlations: number; repeat: number; reuseFreshBuild?: boolean }, log: (line: string) => void): Promise<DashboardBenchResult> {
  const bundle = webBundle(options.reuseFreshBuild ?? false, log);
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-dashboard-empty-'));
  const scaleDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-dashboard-'));
  const browser = await launchBrowser();
  try {
    const empty = await measureDashboard(emptyDir, browser, options.repeat, 'empty', log);

    const store = openStore({ dataDir: scaleDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    const schema = schemaFor('flowlens');
    await migrate(store.query, schema, quiet);
    const loadStarted = performance.now();
    await generateHistory(store.ingest, schema, options.correlations, Date.now() - 60_000, DAY);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const [count] = await queryRows<{ n: string | number }>(store.query, sql`SELECT count() AS n FROM ${schema.table('events')}`);
    const events = Number(count?.n ?? 0);
    log(`generated ${events.toLocaleString('en')} events in ${loadSeconds.toFixed(0)} s; merges settled after ${(await settleMerges(store.query, 300_000)).toFixed(0)} s`);
    await store.close();

    const scale = await measureDashboard(scaleDir, browser, options.repeat, 'scale', log);
    return {
      bundle,
      events,
      correlations: options.correlations,
      loadSeconds,
      firstPaint: { empty: empty.paint, scale: scale.paint },
      liveUpdate: { empty: empty.live, scale: scale.live },
      serverPeakRssMiB: Math.max(empty.rss, scale.rss),
    };
  } finally {
    await browser.close();
    rmSync(emptyDir, { recursive: true, force: true });
    rmSync(scaleDir, { recursive: true, force: true });
  }
}
