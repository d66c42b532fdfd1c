import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Throughput } from '../../server/contracts/api.js';
import type { ExceptionAging, ExceptionList } from '../../server/contracts/exceptionApi.js';
import type { InventoryLagResponse, WorstLag } from '../../server/contracts/inventoryApi.js';
import type { LineageResponse } from '../../server/contracts/lineageApi.js';
import type { Overview } from '../../server/contracts/overviewApi.js';
import type { ReconciliationListAnswer } from '../../server/contracts/reconciliationApi.js';
import { loadCatalog } from '../../server/catalog/loadCatalog.js';
import type { SlaPolicy } from '../../server/catalog/catalogSchema.js';
import { openStore } from '../../server/store/clickhouse.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';
import { startEstateSimulation, type EstateOptions } from '../../server/simulator/estateSimulation.js';
import type { RunResult } from '../../server/simulator/runner.js';
import { scenarioIncidents, type ScenarioName } from '../../server/simulator/scenarios.js';
import type { Truth } from '../../server/simulator/truth.js';
import { startTestServer, type TestServer } from './testServer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHOPIFY_SECRET = 'shpss_ground-truth-secret-0123456789';
export const STRIPE_SECRET = 'whsec_ground-truth-secret-0123456789';

export type ScenarioRun = {
  truth: Truth;
  result: RunResult;
  lineage(key: string): Promise<LineageResponse>;
  throughput: Throughput;
  /** `GET /api/v1/inventory/lag` over the run, and the worst locations on Shopify. */
  inventoryLag: InventoryLagResponse;
  worstShopifyLocations: WorstLag;
  /** `GET /api/v1/exceptions` (open ones) and `/aging` after the run. */
  exceptions: ExceptionList;
  aging: ExceptionAging;
  /** `GET /api/v1/slas` after the run. */
  slas: SlaStatus;
  /** `GET /api/v1/overview` after the run. */
  overview: Overview;
  /** `GET /api/v1/reconciliation` over the run (and five minutes after, for the ERP's last postings). */
  reconciliation: ReconciliationListAnswer;
  stored: StoredView;
};

type SlaStatus = {
  at: number;
  policies: { id: string; met: number; late: number; open_breached: number; in_progress: number; attainment: number | null; breaching: boolean; burn: { alerting: boolean } | null }[];
};

/**
 * Runs a scenario with a fixed seed through the real receivers of a real Flowlens (embedded ClickHouse in a
 * temp folder, OTLP, webhooks, the file inbox, the business-event API), waits until everything is loaded,
 * reads back what Flowlens answers and stores, and returns it beside the simulator's ground truth.
 */
/** A scenario's size and seed; `runner` replaces how the simulator delivers (default: its own run). */
export type ScenarioOptions = { seed: string; rate: number; durationMs: number; runner?: EstateOptions['runner'] };

export async function runScenarioThroughFlowlens(scenario: ScenarioName, options: ScenarioOptions): Promise<ScenarioRun> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-truth-'));
  const inbox = path.join(dataDir, 'inbox');
  let server: TestServer | undefined = await startTestServer({
    dataDir,
    keepData: true,
    env: { FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET, FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET, FLOWLENS_INBOX_DIR: inbox, FLOWLENS_INBOX_POLL_MS: '200' },
  });
  try {
    // A past period replayed as fast as Flowlens takes it, so the run is bounded by ingest speed, not the clock.
    const start = Math.floor((Date.now() - options.durationMs - 5_000) / 1000) * 1000;
    const incidents = scenarioIncidents(scenario, start, options.durationMs);
    const run = await startEstateSimulation({
      scenario,
      seed: options.seed,
      rate: options.rate,
      start,
      durationMs: options.durationMs,
      pace: 'fast',
      // The run starts "now", whatever the hour; the trading week's shape has its own unit tests.
      daily: false,
      incidentsAt: () => incidents,
      keepSteps: true,
      runner: options.runner,
      target: server.baseUrl,
      otlp: server.otlpUrl,
      token: server.ingestToken,
      inbox,
      shopifySecret: SHOPIFY_SECRET,
      stripeSecret: STRIPE_SECRET,
    });
    const result = await run.done.finally(() => run.close());
    await server.flush();
    const read = readAsViewer(server);
    const throughput = await read<Throughput>('/api/v1/throughput?window=3600');
    const range = `from=${result.truth!.run.start}&to=${result.truth!.run.end}`;
    const inventoryLag = await read<InventoryLagResponse>(`/api/v1/inventory/lag?${range}`);
    const worstShopifyLocations = await read<WorstLag>(`/api/v1/inventory/lag/worst?${range}&by=location&target=shopify&limit=5`);
    const exceptions = await read<ExceptionList>('/api/v1/exceptions?state=open&lookback=86400&limit=500');
    const aging = await read<ExceptionAging>('/api/v1/exceptions/aging?lookback=86400');
    const slas = await read<SlaStatus>('/api/v1/slas');
    const overview = await read<Overview>('/api/v1/overview');
    const reconciliation = await read<ReconciliationListAnswer>(`/api/v1/reconciliation?from=${result.truth!.run.start}&to=${result.truth!.run.end + 300_000}&limit=500`);
    const lineageAnswers = new Map<string, LineageResponse>();
    const truth = result.truth!;
    for (const key of interestingKeys(truth)) lineageAnswers.set(key, await read<LineageResponse>(`/api/v1/lineage?key=${encodeURIComponent(key)}&depth=0`));
    const database = server.config.clickhouseDatabase;
    await server.close();
    server = undefined;
    const stored = await readStored(dataDir, database);
    return {
      truth,
      result,
      throughput,
      inventoryLag,
      worstShopifyLocations,
      exceptions,
      aging,
      slas,
      overview,
      reconciliation,
      stored,
      lineage: async (key) => {
        const answer = lineageAnswers.get(key);
        if (!answer) throw new Error(`lineage for ${key} was not fetched; add it to interestingKeys`);
        return answer;
      },
    };
  } finally {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A dashboard read as a viewer (the least role that reads) sees it; a refusal or error fails the run naming the
 * request, rather than handing an error body to the assertions as if it were the answer.
 */
function readAsViewer(server: TestServer): <T>(pathAndQuery: string) => Promise<T> {
  return async <T>(pathAndQuery: string) => {
    const res = await server.api(pathAndQuery, {}, 'viewer');
    if (!res.ok) throw new Error(`GET ${pathAndQuery} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/** The keys whose lineage the tests look at: refunds missing from the ledger and dead-lettered transactions. */
export function interestingKeys(truth: Truth): string[] {
  return [...truth.refunds.missingLedger.slice(0, 3).map((r) => r.refund_id), ...truth.openExceptions.slice(0, 3).map((e) => e.correlation_id)];
}

export type StoredStep = { event_id: string; correlation_id: string; flow: string; step: string; system: string; at: number; status: string; channel: string; amount: string | null };

/** What Flowlens stored, each event once, read straight from the store after the server closed. */
export type StoredView = {
  steps: StoredStep[];
  lagByChannel: Record<string, { count: number; p50: number; p95: number; p99: number }>;
  openExceptions: { correlation_id: string; step: string }[];
  refundsWithoutJournal: string[];
};

async function readStored(dataDir: string, database: string): Promise<StoredView> {
  const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  const s = schemaFor(database);
  try {
    const events = s.table('events');
    const steps = await queryRows<StoredStep & { at: string | number }>(
      store.query,
      sql`SELECT event_id, correlation_id, flow, step, system, toUnixTimestamp64Milli(occurred_at) AS at, toString(status) AS status, channel, toString(amount) AS amount
          FROM ${events} ORDER BY occurred_at, event_id LIMIT 1 BY event_id`,
    );
    // Percentiles computed by the engine itself, independently of the simulator's own code.
    const lag = await queryRows<{ channel: string; count: string | number; q: number[] }>(
      store.query,
      sql`WITH movements AS (
            SELECT correlation_id,
                   minIf(occurred_at, step IN ('pos.sale.captured', 'pos.return.captured', 'wms.receipt.posted')) AS source_at,
                   countIf(step IN ('pos.sale.captured', 'pos.return.captured', 'wms.receipt.posted')) AS sources
            FROM (SELECT * FROM ${events} WHERE flow = 'inventory_sync' LIMIT 1 BY event_id) GROUP BY correlation_id HAVING sources > 0),
          published AS (
            SELECT correlation_id, channel, min(occurred_at) AS published_at
            FROM (SELECT * FROM ${events} WHERE flow = 'inventory_sync' AND step = 'channel.published' AND status = 'ok' LIMIT 1 BY event_id)
            GROUP BY correlation_id, channel)
          SELECT channel, count() AS count,
                 quantilesExactHigh(0.5, 0.95, 0.99)(toUnixTimestamp64Milli(published_at) - toUnixTimestamp64Milli(source_at)) AS q
          FROM published INNER JOIN movements USING (correlation_id)
          GROUP BY channel ORDER BY channel`,
    );
    const exceptions = await queryRows<{ correlation_id: string; step: string }>(
      store.query,
      sql`SELECT correlation_id, toString(step) AS step FROM (SELECT * FROM ${events} LIMIT 1 BY event_id)
          GROUP BY correlation_id, step
          HAVING countIf(status IN ('failed', 'dead_lettered')) > 0
             AND maxIf(occurred_at, status = 'ok') < maxIf(occurred_at, status IN ('failed', 'dead_lettered'))
          ORDER BY correlation_id, step`,
    );
    const refunds = await queryRows<{ correlation_id: string }>(
      store.query,
      sql`SELECT correlation_id FROM ${events} WHERE flow = 'return_to_refund'
          GROUP BY correlation_id
          HAVING countIf(step = 'payment.refund.created') > 0 AND countIf(step = 'erp.journal.posted') = 0
          ORDER BY correlation_id`,
    );
    return {
      steps: steps.map((r) => ({ ...r, at: Number(r.at) })),
      lagByChannel: Object.fromEntries(lag.map((r) => [r.channel, { count: Number(r.count), p50: Number(r.q[0]), p95: Number(r.q[1]), p99: Number(r.q[2]) }])),
      openExceptions: exceptions,
      refundsWithoutJournal: refunds.map((r) => r.correlation_id.replace(/^rtr-/, '')),
    };
  } finally {
    await store.close();
  }
}

/**
 * The checks every scenario must pass: what Flowlens stored and answers equals what really happened, exactly:
 * counts, steps and their times, lag percentiles, open exceptions, refunds missing from the ledger.
 */
export function describeGroundTruth(scenario: ScenarioName, options: ScenarioOptions, specific?: (get: () => ScenarioRun) => void): void {
  describe(`ground truth: ${scenario}`, () => {
    let run: ScenarioRun;
    beforeAll(async () => {
      run = await runScenarioThroughFlowlens(scenario, options);
    }, 240_000);

    it('stores every event that happened exactly once, per flow and step, whichever way it came in', () => {
      const stored: Record<string, Record<string, number>> = {};
      for (const s of run.stored.steps) (stored[s.flow] ??= {})[s.step] = (stored[s.flow]?.[s.step] ?? 0) + 1;
      expect(run.truth.events.stored).toBeGreaterThan(1_000);
      expect(stored).toEqual(run.truth.events.byFlowStep);
    });

    it('stores every transaction\'s steps with their true times, statuses and channels', () => {
      const stored: Truth['correlations'] = {};
      for (const s of run.stored.steps) (stored[s.correlation_id] ??= { flow: s.flow, steps: [] }).steps.push({ event_id: s.event_id, step: s.step, system: s.system, at: s.at, status: s.status, ...(s.channel ? { channel: s.channel } : {}) });
      for (const entry of Object.values(stored)) entry.steps.sort((a, b) => a.at - b.at || a.step.localeCompare(b.step) || a.event_id.localeCompare(b.event_id));
      const mismatched = Object.keys(run.truth.correlations).filter((id) => JSON.stringify(stored[id]) !== JSON.stringify(run.truth.correlations[id]));
      expect(mismatched.slice(0, 5).map((id) => ({ id, truth: run.truth.correlations[id], stored: stored[id] }))).toEqual([]);
      expect(Object.keys(stored).length).toBe(Object.keys(run.truth.correlations).length);
    });

    it('measures inventory lag per channel exactly as it really was (percentiles computed by the engine)', () => {
      const truth = Object.fromEntries(Object.entries(run.truth.inventoryLag.byChannel).map(([channel, l]) => [channel, { count: l.count, p50: l.p50, p95: l.p95, p99: l.p99 }]));
      expect(run.stored.lagByChannel).toEqual(truth);
    });

    it('answers inventory lag per milestone over the run exactly as it really was (GET /api/v1/inventory/lag)', () => {
      const lag = run.truth.inventoryLag;
      const answer = Object.fromEntries(run.inventoryLag.targets.map((t) => [t.target, t.summary]));
      expect(answer.erp).toMatchObject({ count: lag.movements, pending: lag.movements - lag.toErp.count, p50: lag.toErp.p50, p95: lag.toErp.p95, p99: lag.toErp.p99, max: lag.toErp.max });
      for (const [channel, truth] of Object.entries(lag.byChannel)) {
        expect(answer[channel], channel).toEqual({ count: lag.movements, pending: truth.pending, p50: truth.p50, p95: truth.p95, p99: truth.p99, max: truth.max });
      }
      const perMinute = run.inventoryLag.targets.find((t) => t.target === 'shopify')!.series;
      expect(perMinute.reduce((sum, m) => sum + m.count, 0)).toBe(lag.movements);
    });

    it('has exactly the open exceptions that really are open: failed or dead-lettered, never succeeded later', () => {
      expect(run.stored.openExceptions).toEqual(run.truth.openExceptions.map((e) => ({ correlation_id: e.correlation_id, step: e.step })).sort((a, b) => a.correlation_id.localeCompare(b.correlation_id) || a.step.localeCompare(b.step)));
    });

    it('lists exactly the open exceptions that really are open, each once however many retries (GET /api/v1/exceptions)', () => {
      const failed = run.exceptions.exceptions.filter((e) => e.kind === 'failed_step');
      const answer = failed.map((e) => ({ correlation_id: e.correlation_id, step: e.step, since: e.first_failed_at, last_status: e.last_status, error_code: e.error.code ?? '' }));
      const truth = run.truth.openExceptions.map((e) => ({ correlation_id: e.correlation_id, step: e.step, since: e.since, last_status: e.last_status, error_code: e.error_code }));
      const order = (a: { correlation_id: string; step: string }, b: { correlation_id: string; step: string }) => a.correlation_id.localeCompare(b.correlation_id) || a.step.localeCompare(b.step);
      expect(run.exceptions.truncated).toBe(false);
      expect(answer.sort(order)).toEqual(truth.sort(order));
      // Missing steps and mismatches are exceptions too; the aging counts every open one, once.
      expect(new Set(run.exceptions.exceptions.map((e) => e.id)).size).toBe(run.exceptions.total);
      expect(run.aging.total).toBe(run.exceptions.total);
      const failing = new Set(truth.map((e) => e.correlation_id));
      for (const e of run.exceptions.exceptions.filter((x) => x.kind === 'missing_step')) expect(failing.has(e.correlation_id), e.correlation_id).toBe(false);
    });

    it('evaluates every SLA policy exactly as the truth says: met, late, open past the deadline, in progress', () => {
      const catalog = loadCatalog(path.join(repoRoot, 'dashboards'));
      for (const policy of catalog.policies) {
        const expected = expectedSlaCounts(run.truth, policy, catalog.flows.get(policy.flow)?.channels ?? [], run.slas.at);
        const answer = run.slas.policies.find((p) => p.id === policy.id);
        expect({ id: policy.id, met: answer?.met, late: answer?.late, open_breached: answer?.open_breached, in_progress: answer?.in_progress }).toEqual({ id: policy.id, ...expected });
      }
    });

    it('puts the same figures on the overview: open exceptions, breaching policies, every source fresh', () => {
      const { overview, truth } = run;
      // Read a moment after the exceptions list: a missing step may cross its deadline in between.
      expect(Math.abs(overview.exceptions.total - run.exceptions.total)).toBeLessThanOrEqual(2);
      expect(overview.exceptions.total).toBeGreaterThanOrEqual(truth.openExceptions.length);
      expect(overview.slas.breaching.map((p) => p.id).sort()).toEqual(run.slas.policies.filter((p) => p.breaching).map((p) => p.id).sort());
      const systems = new Set(Object.values(truth.correlations).flatMap((c) => c.steps.map((s) => s.system)));
      expect(overview.freshness.map((f) => f.system).sort()).toEqual([...systems].sort());
      for (const f of overview.freshness) expect(f.seconds_since_last, f.system).toBeLessThan(600);
      expect(overview.inventory.targets.map((t) => t.target)).toEqual(['erp', 'shopify', 'amazon', 'zalando']);
    });

    it('knows exactly which refunds have not reached the ledger', () => {
      expect(run.stored.refundsWithoutJournal).toEqual(run.truth.refunds.missingLedger.map((r) => r.refund_id).sort());
    });

    it('shows each lost refund it looked up with its credit memo and journal lines missing, against the refund-ledger deadline', async () => {
      const lost = run.truth.refunds.missingLedger.filter((r) => r.lost && interestingKeys(run.truth).includes(r.refund_id));
      if (scenario === 'refund-lost') expect(lost.length).toBeGreaterThan(0);
      const deadline = loadCatalog(path.join(repoRoot, 'dashboards')).policies.find((p) => p.id === 'refund-ledger')!.deadline;
      for (const refund of lost) {
        const answer = await run.lineage(refund.refund_id);
        const missing = answer.missing.filter((m) => m.correlation_id === refund.correlation_id);
        expect(missing.map((m) => m.step)).toEqual(['erp.credit_memo.posted', 'erp.journal.posted']);
        expect(missing[1]).toMatchObject({ expected: 2, seen: 0, last_status: null });
        expect(missing[1]!.slas).toEqual([
          expect.objectContaining({ policy: 'refund-ledger', started_at: new Date(refund.refunded_at).toISOString(), overdue_by_ms: Math.max(0, Date.parse(answer.at) - refund.refunded_at - deadline) }),
        ]);
        expect(answer.graph.nodes.find((n) => n.correlation_id === refund.correlation_id)?.state).toBe('in_progress');
      }
    });

    it('reconciles every settlement exactly as it really was: matched, short by the fee difference, or not posted yet (GET /api/v1/reconciliation)', () => {
      const { reconciliation, truth } = run;
      const answer = reconciliation.settlements.map((s) => ({ settlement_id: s.settlement_id, source: s.source, status: s.status, reported_net: s.reported_net, erp_net: s.erp_net, difference: s.difference, reason: s.reason }));
      const expected = truth.settlements.reported.map((fact) => expectedReconciliation(truth, fact));
      const order = (a: { settlement_id: string }, b: { settlement_id: string }) => a.settlement_id.localeCompare(b.settlement_id);
      expect(reconciliation.truncated).toBe(false);
      expect(reconciliation.total).toBe(expected.length);
      expect(answer.sort(order)).toEqual(expected.sort(order));
      // Every settlement the truth calls mismatched (and the ERP has posted) is a mismatch for finance, explained by the fees.
      const posted = new Set(expected.filter((e) => e.erp_net !== null && e.reported_net !== null).map((e) => e.settlement_id));
      const mismatched = reconciliation.settlements.filter((s) => s.status === 'mismatched');
      expect(mismatched.map((s) => s.settlement_id).sort()).toEqual(truth.settlements.mismatched.filter((f) => posted.has(f.settlement_id)).map((f) => f.settlement_id).sort());
      for (const s of mismatched) expect(s.owner?.id, s.settlement_id).toBe('finance');
      const asExceptions = run.exceptions.exceptions.filter((e) => e.kind === 'mismatch');
      expect(asExceptions.map((e) => e.correlation_id).sort()).toEqual(mismatched.map((s) => s.correlation_id).sort());
      for (const e of asExceptions) expect(e.owner.id, e.correlation_id).toBe('finance');
    });

    it('counts the throughput of each flow as the events that happened, duplicates once', () => {
      const totals = Object.fromEntries(run.throughput.series.map((s) => [s.flow, s.points.reduce((sum, p) => sum + p.count, 0)]));
      const truth = Object.fromEntries(Object.entries(run.truth.events.byFlowStep).map(([flow, steps]) => [flow, Object.values(steps).reduce((a, b) => a + b, 0)]));
      expect(totals).toEqual(truth);
    });

    it('shows the lineage of a refund missing from the ledger, or of an open exception, step by step as it happened', async () => {
      for (const key of interestingKeys(run.truth)) {
        const answer = await run.lineage(key);
        const correlation = answer.correlations[0]!.correlation_id;
        const truth = run.truth.correlations[correlation]!;
        expect(answer.events.filter((e) => e.correlation_id === correlation).map((e) => [e.step, Date.parse(e.occurred_at), e.status]).sort()).toEqual(truth.steps.map((s) => [s.step, s.at, s.status]).sort());
      }
    });

    specific?.(() => run);
  });
}

/**
 * What an SLA policy should count, worked out from the truth's steps on its own (not with Flowlens's code):
 * each correlation (and channel, for a per-channel end) whose first start step is within the policy window.
 */
export function expectedSlaCounts(truth: Truth, policy: SlaPolicy, channels: readonly string[], now: number) {
  const counts = { met: 0, late: 0, open_breached: 0, in_progress: 0 };
  for (const { flow, steps } of Object.values(truth.correlations)) {
    if (flow !== policy.flow) continue;
    const starts = steps.filter((s) => policy.start.steps.includes(s.step) && s.status === 'ok').map((s) => s.at);
    if (starts.length === 0) continue;
    const start = Math.min(...starts);
    if (start < now - policy.window || start > now) continue;
    const targets = policy.end.perChannel ? channels : [policy.end.channel];
    for (const channel of targets) {
      const ends = steps.filter((s) => s.step === policy.end.step && s.status === 'ok' && (channel === undefined || s.channel === channel)).map((s) => s.at);
      const end = ends.length > 0 ? Math.min(...ends) : undefined;
      if (end !== undefined) counts[end - start <= policy.deadline ? 'met' : 'late']++;
      else counts[now - start > policy.deadline ? 'open_breached' : 'in_progress']++;
    }
  }
  return counts;
}

/**
 * What the reconciliation of one settlement should say, from the truth alone: the simulator's figures where both
 * the report and the ERP's journal had arrived by the run's end, otherwise the side that had. Differences within
 * the default tolerance (1 cent) count as matched.
 */
export function expectedReconciliation(truth: Truth, fact: Truth['settlements']['reported'][number]) {
  const steps = truth.correlations[`settlement-${fact.settlement_id}`]?.steps ?? [];
  const reported = steps.some((s) => s.step === 'marketplace.settlement.reported' || s.step === 'payment.payout.paid');
  const booked = steps.some((s) => s.step === 'erp.journal.posted');
  const matched = Math.abs(Math.round(Number(fact.difference) * 100)) <= 1;
  const status = !reported ? 'unmatched_erp' : !booked ? 'unmatched_settlement' : matched ? 'matched' : 'mismatched';
  return {
    settlement_id: fact.settlement_id,
    source: reported ? fact.source : null,
    status,
    reported_net: reported ? fact.reported_net : null,
    erp_net: booked ? fact.erp_net : null,
    difference: reported && booked ? fact.difference : null,
    reason: status === 'mismatched' ? (fact.reason ?? 'unknown') : null,
  };
}
