import { percentiles, type Percentiles } from '../domain/percentiles.js';
import { REDELIVERY_GAP_MS, type SimStep } from './model.js';
import type { SettlementFact } from './plan/settlementFlow.js';
import type { Incident } from './scenarios.js';

export type ChannelLag = Percentiles & { pending: number };
export type OpenException = { correlation_id: string; flow: string; step: string; since: number; last_status: string; error_code: string; failures: number };
export type MissingLedger = { refund_id: string; correlation_id: string; refunded_at: number; lost: boolean };

/**
 * What really happened in a run, as of `end`: what Flowlens should have stored and what its figures should say.
 * Only steps handed to a transport before `end` count (a step planned later had not happened yet).
 */
export type Truth = {
  run: { scenario: string; seed: string; rate: number; start: number; end: number; incidents: Incident[] };
  events: { stored: number; deliveries: number; byFlowStep: Record<string, Record<string, number>>; byTransport: Record<string, number> };
  correlations: Record<string, { flow: string; steps: { event_id: string; step: string; system: string; at: number; status: string; channel?: string }[] }>;
  inventoryLag: { movements: number; toErp: Percentiles; byChannel: Record<string, ChannelLag>; worstLocations: { location_id: string; p95: number; count: number }[] };
  failures: { event_id: string; correlation_id: string; flow: string; step: string; at: number; status: string; error_code: string }[];
  openExceptions: OpenException[];
  refunds: { refunded: number; reachedLedger: number; missingLedger: MissingLedger[] };
  settlements: { reported: SettlementFact[]; mismatched: SettlementFact[] };
};

const SOURCE_STEPS = new Set(['pos.sale.captured', 'pos.return.captured', 'wms.receipt.posted']);
const FAILED = new Set(['failed', 'dead_lettered']);

export type TruthInput = { scenario: string; seed: string; rate: number; start: number; end: number; incidents: Incident[]; steps: readonly SimStep[]; settlements: readonly SettlementFact[] };

export function computeTruth(input: TruthInput): Truth {
  const planned = input.steps;
  const delivered = planned.filter((s) => s.deliverAt < input.end);
  const correlations: Truth['correlations'] = {};
  const byFlowStep: Truth['events']['byFlowStep'] = {};
  const byTransport: Record<string, number> = {};
  const seen = new Set<string>();
  const unique: SimStep[] = [];
  let deliveries = 0;
  for (const step of delivered) {
    const { event, via, copies } = step;
    for (let copy = 1; copy <= copies; copy++) if (step.deliverAt + (copy - 1) * REDELIVERY_GAP_MS < input.end) deliveries++;
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    unique.push(step);
    (byFlowStep[event.flow] ??= {})[event.step] = (byFlowStep[event.flow]?.[event.step] ?? 0) + 1;
    const transport = via.kind === 'file' ? `file:${via.file}` : via.kind;
    byTransport[transport] = (byTransport[transport] ?? 0) + 1;
    const entry = (correlations[event.correlation_id] ??= { flow: event.flow, steps: [] });
    entry.steps.push({ event_id: event.event_id, step: event.step, system: event.system, at: event.occurred_at, status: event.status ?? 'ok', ...(event.channel ? { channel: event.channel } : {}) });
  }
  for (const entry of Object.values(correlations)) entry.steps.sort((a, b) => a.at - b.at || a.step.localeCompare(b.step) || a.event_id.localeCompare(b.event_id));
  return {
    run: { scenario: input.scenario, seed: input.seed, rate: input.rate, start: input.start, end: input.end, incidents: input.incidents },
    events: { stored: seen.size, deliveries, byFlowStep, byTransport },
    correlations,
    inventoryLag: inventoryLag(correlations),
    failures: unique
      .filter((s) => s.event.status && s.event.status !== 'ok')
      .map(({ event }) => ({ event_id: event.event_id, correlation_id: event.correlation_id, flow: event.flow, step: event.step, at: event.occurred_at, status: event.status!, error_code: event.error_code ?? '' }))
      .sort((a, b) => a.at - b.at || a.correlation_id.localeCompare(b.correlation_id) || a.event_id.localeCompare(b.event_id)),
    openExceptions: openExceptions(correlations, unique),
    refunds: refunds(correlations, planned),
    settlements: settlementsReported(input.settlements, correlations),
  };
}

function inventoryLag(correlations: Truth['correlations']): Truth['inventoryLag'] {
  const toErp: number[] = [];
  const byChannel = new Map<string, { lags: number[]; pending: number }>();
  const byLocation = new Map<string, number[]>();
  const channels = new Set<string>();
  for (const { steps } of Object.values(correlations)) for (const s of steps) if (s.step === 'channel.published' && s.channel) channels.add(s.channel);
  let movements = 0;
  for (const { flow, steps } of Object.values(correlations)) {
    if (flow !== 'inventory_sync') continue;
    const source = steps.find((s) => SOURCE_STEPS.has(s.step));
    if (!source) continue;
    movements++;
    const posted = steps.find((s) => s.step === 'erp.inventory.posted' && s.status === 'ok');
    if (posted) toErp.push(posted.at - source.at);
    const location = correlationLocation(source.event_id);
    for (const channel of channels) {
      const entry = byChannel.get(channel) ?? { lags: [], pending: 0 };
      byChannel.set(channel, entry);
      const published = steps.find((s) => s.step === 'channel.published' && s.channel === channel && s.status === 'ok');
      if (!published) {
        entry.pending++;
        continue;
      }
      entry.lags.push(published.at - source.at);
      if (location) {
        const lags = byLocation.get(location) ?? [];
        lags.push(published.at - source.at);
        byLocation.set(location, lags);
      }
    }
  }
  return {
    movements,
    toErp: percentiles(toErp),
    byChannel: Object.fromEntries([...byChannel].sort(([a], [b]) => a.localeCompare(b)).map(([channel, { lags, pending }]) => [channel, { ...percentiles(lags), pending }])),
    worstLocations: [...byLocation]
      .map(([location_id, lags]) => ({ location_id, ...percentiles(lags) }))
      .sort((a, b) => b.p95 - a.p95 || a.location_id.localeCompare(b.location_id))
      .slice(0, 10)
      .map(({ location_id, p95, count }) => ({ location_id, p95, count })),
  };
}

/** POS movements carry their store in the correlation id (`pos-<store>-<receipt>-<line>`); receipts their DC. */
function correlationLocation(eventId: string): string | undefined {
  return /^pos-(store-\d+)-/.exec(eventId)?.[1];
}

function openExceptions(correlations: Truth['correlations'], delivered: readonly SimStep[]): OpenException[] {
  const errorCodes = new Map(delivered.map((s) => [s.event.event_id, s.event.error_code ?? '']));
  const open: OpenException[] = [];
  for (const [correlation_id, { flow, steps }] of Object.entries(correlations)) {
    const byStep = new Map<string, typeof steps>();
    for (const s of steps) {
      const list = byStep.get(s.step) ?? [];
      list.push(s);
      byStep.set(s.step, list);
    }
    for (const [step, list] of byStep) {
      const failures = list.filter((s) => FAILED.has(s.status));
      if (failures.length === 0) continue;
      const last = failures[failures.length - 1]!;
      if (list.some((s) => s.status === 'ok' && s.at > last.at)) continue;
      open.push({ correlation_id, flow, step, since: failures[0]!.at, last_status: last.status, error_code: errorCodes.get(last.event_id) ?? '', failures: failures.length });
    }
  }
  return open.sort((a, b) => a.since - b.since || a.correlation_id.localeCompare(b.correlation_id));
}

function refunds(correlations: Truth['correlations'], planned: readonly SimStep[]): Truth['refunds'] {
  const memoPlanned = new Set(planned.filter((s) => s.event.step === 'erp.credit_memo.posted').map((s) => s.event.correlation_id));
  const missing: MissingLedger[] = [];
  let refunded = 0;
  for (const [correlation_id, { flow, steps }] of Object.entries(correlations)) {
    if (flow !== 'return_to_refund') continue;
    const refund = steps.find((s) => s.step === 'payment.refund.created');
    if (!refund) continue;
    refunded++;
    if (steps.some((s) => s.step === 'erp.journal.posted')) continue;
    missing.push({ refund_id: correlation_id.replace(/^rtr-/, ''), correlation_id, refunded_at: refund.at, lost: !memoPlanned.has(correlation_id) });
  }
  missing.sort((a, b) => a.refunded_at - b.refunded_at);
  return { refunded, reachedLedger: refunded - missing.length, missingLedger: missing };
}

function settlementsReported(facts: readonly SettlementFact[], correlations: Truth['correlations']): Truth['settlements'] {
  const reported = facts.filter((f) => correlations[`settlement-${f.settlement_id}`] !== undefined);
  return { reported, mismatched: reported.filter((f) => f.difference !== '0.00') };
}
