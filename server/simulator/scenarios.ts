/**
 * Scenarios: the estate's normal day plus one kind of incident. An incident is a time window with a
 * parameter; `conditionsFor` turns the windows into the questions the flows ask at each moment ("is the ERP
 * down now?", "how fast does Amazon accept listings now?"). Pure, so the ground truth follows from it.
 */
export const SCENARIOS = [
  'normal',
  'peak',
  'erp-outage',
  'marketplace-throttle',
  'duplicates',
  'out-of-order',
  'store-offline',
  'settlement-mismatch',
  'refund-lost',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

type Window = { from: number; to: number };
export type Incident =
  | (Window & { kind: 'peak'; factor: number })
  | (Window & { kind: 'erp-outage' })
  | (Window & { kind: 'marketplace-throttle'; channel: string; acceptPerSecond: number })
  | (Window & { kind: 'duplicates'; probability: number })
  | (Window & { kind: 'out-of-order'; maxDelayMs: number })
  | (Window & { kind: 'store-offline'; store: string })
  | (Window & { kind: 'settlement-mismatch'; marketplace: string; chargedFeeRate: number })
  | (Window & { kind: 'refund-lost'; probability: number });

export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  normal: 'an ordinary trading day: every flow, no incident',
  peak: 'Black Friday: ten times the traffic; the ERP and the channels slow down under load',
  'erp-outage': 'the ERP answers 503 for the middle half of the run: postings retry, then dead-letter',
  'marketplace-throttle': 'Amazon answers 429 and accepts a fraction of the listing updates: its channel lag grows, then drains',
  duplicates: 'at-least-once delivery: about a third of all messages arrive two or three times',
  'out-of-order': 'messages arrive up to 20 s late and out of order',
  'store-offline': 'one store loses its connection: its sales are held, then arrive in one burst',
  'settlement-mismatch': 'Amazon charges more commission than the contract: settlements do not reconcile with the ERP',
  'refund-lost': 'half the refunds never reach the ledger: no credit memo, no journal entry',
};

/** The contract commission the ERP books; a settlement charging anything else does not reconcile. */
export const CONTRACT_FEE_RATE = 0.15;

const WHOLE_RUN: readonly ScenarioName[] = ['peak', 'duplicates', 'out-of-order', 'settlement-mismatch'];

/** The incident windows of a named scenario: the middle half of the run, or the whole run for the ones that shape it. */
export function scenarioIncidents(name: ScenarioName, start: number, durationMs: number): Incident[] {
  const window = WHOLE_RUN.includes(name)
    ? { from: start, to: start + durationMs }
    : { from: start + Math.round(durationMs * 0.2), to: start + Math.round(durationMs * 0.7) };
  const found = incidentIn(name, window);
  return found ? [found] : [];
}

function incidentIn(name: ScenarioName, window: Window): Incident | undefined {
  switch (name) {
    case 'normal':
      return undefined;
    case 'peak':
      return { kind: 'peak', factor: 10, ...window };
    case 'erp-outage':
      return { kind: 'erp-outage', ...window };
    case 'marketplace-throttle':
      return { kind: 'marketplace-throttle', channel: 'amazon', acceptPerSecond: 1, ...window };
    case 'duplicates':
      return { kind: 'duplicates', probability: 0.35, ...window };
    case 'out-of-order':
      return { kind: 'out-of-order', maxDelayMs: 20_000, ...window };
    case 'store-offline':
      return { kind: 'store-offline', store: 'store-001', ...window };
    case 'settlement-mismatch':
      return { kind: 'settlement-mismatch', marketplace: 'amazon', chargedFeeRate: 0.17, ...window };
    case 'refund-lost':
      return { kind: 'refund-lost', probability: 0.5, ...window };
  }
}

/**
 * The `npm start` demo: normal trading with a 90-second incident every `everyMs`, rotating through the
 * operational ones, so the dashboard always has something to show. Unbounded: asked moment by moment.
 */
export function demoIncidents(start: number, everyMs = 4 * 60_000): (t: number) => Incident[] {
  const rotation: ScenarioName[] = ['erp-outage', 'marketplace-throttle', 'store-offline', 'refund-lost', 'settlement-mismatch', 'duplicates'];
  const firstAt = start + 60_000; // a newcomer first sees the estate healthy
  return (t) => {
    const n = Math.floor((t - firstAt) / everyMs);
    if (n < 0) return [];
    const from = firstAt + n * everyMs;
    const found = incidentIn(rotation[n % rotation.length]!, { from, to: from + 90_000 });
    return found ? [found] : [];
  };
}

/** What the flows ask about the world at a moment. */
export type Conditions = {
  trafficFactor(t: number): number;
  erpDown(t: number): boolean;
  /** ERP and channel latency multiplier under load. */
  slowdown(t: number): number;
  /** Listing updates per second a throttled channel accepts, or undefined when it is not throttled. */
  throttle(channel: string, t: number): number | undefined;
  /** When an offline store reconnects, or undefined when it is online. */
  storeBackAt(store: string, t: number): number | undefined;
  duplicateProbability(t: number): number;
  maxDelayMs(t: number): number;
  feeRate(marketplace: string, t: number): number;
  refundLostProbability(t: number): number;
};

export function conditionsFor(incidentsAt: (t: number) => readonly Incident[]): Conditions {
  const active = <K extends Incident['kind']>(kind: K, t: number) =>
    incidentsAt(t).find((i): i is Extract<Incident, { kind: K }> => i.kind === kind && t >= i.from && t < i.to);
  return {
    trafficFactor: (t) => active('peak', t)?.factor ?? 1,
    erpDown: (t) => active('erp-outage', t) !== undefined,
    slowdown: (t) => ((active('peak', t)?.factor ?? 1) >= 5 ? 3 : 1),
    throttle: (channel, t) => {
      const incident = active('marketplace-throttle', t);
      return incident?.channel === channel ? incident.acceptPerSecond : undefined;
    },
    storeBackAt: (store, t) => {
      const incident = active('store-offline', t);
      return incident?.store === store ? incident.to : undefined;
    },
    duplicateProbability: (t) => active('duplicates', t)?.probability ?? 0,
    maxDelayMs: (t) => active('out-of-order', t)?.maxDelayMs ?? 0,
    feeRate: (marketplace, t) => {
      const incident = active('settlement-mismatch', t);
      return incident?.marketplace === marketplace ? incident.chargedFeeRate : CONTRACT_FEE_RATE;
    },
    refundLostProbability: (t) => active('refund-lost', t)?.probability ?? 0,
  };
}

/** Every incident window that overlaps [from, to): for the ground truth and the run summary. */
export function incidentsBetween(incidentsAt: (t: number) => readonly Incident[], from: number, to: number, stepMs = 1000): Incident[] {
  const seen = new Map<string, Incident>();
  for (let t = from; t < to; t += stepMs) for (const i of incidentsAt(t)) seen.set(`${i.kind}@${i.from}`, i);
  return [...seen.values()].sort((a, b) => a.from - b.from);
}
