import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';

export type SimulateOptions = {
  scenario: ScenarioName;
  rate: number;
  seed: string;
  durationMs: number;
  pace: 'live' | 'fast';
  start: number;
  target: string;
  otlp: string;
  token: string;
  inbox?: string;
  shopifySecret: string;
  stripeSecret: string;
  erpPort: number;
  daily: boolean;
  truthFile?: string;
  quiet: boolean;
};

export const MAX_RATE = 20_000;
export const MAX_DURATION_S = 24 * 3600;
export const MAX_EVENTS = 20_000_000;

export const SIMULATE_USAGE = `Usage: npm run simulate -- [options]

  --scenario <name>     ${SCENARIOS.join(' | ')} (default normal)
  --rate <events/s>     events per second, the trading week's mean, before the scenario's traffic factor
                        (default 50, max ${MAX_RATE})
  --seed <n>            same seed, same estate and traffic (default 1)
  --duration <s>        simulated seconds (default 60, max ${MAX_DURATION_S})
  --pace live|fast      live: send each step when it happens (default); fast: replay a past period as fast as
                        Flowlens takes it, with the original timestamps
  --start <ISO time>    simulated start (default: now for live, now − duration for fast)
  --target <url>        Flowlens base URL (default http://127.0.0.1:<FLOWLENS_PORT>)
  --otlp <url>          OTLP/HTTP base URL (default http://127.0.0.1:<FLOWLENS_OTLP_PORT>)
  --token <token>       ingest token (default: the first of FLOWLENS_INGEST_TOKENS)
  --inbox <dir>         drop files here (default FLOWLENS_INBOX_DIR; unset: upload them to /v1/files/<kind>)
  --shopify-secret <s>  default: the first of FLOWLENS_SHOPIFY_WEBHOOK_SECRETS
  --stripe-secret <s>   default: the first of FLOWLENS_STRIPE_WEBHOOK_SECRETS
  --flat                no trading week: every hour at the week's mean (stores otherwise trade 08–20
                        Europe/Berlin, Monday to Saturday, and online orders peak in the evening)
  --erp-port <port>     port of the simulated ERP API (default 0: any free port; printed)
  --truth <file>        write the ground truth (JSON) when the run ends
  --quiet               no progress lines
`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The simulator's options from its command line, defaulting to the settings the server reads. Throws with the option named. */
export function parseSimulateArgs(argv: readonly string[], config: Config, now: number): SimulateOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      scenario: { type: 'string', default: 'normal' },
      rate: { type: 'string', default: '50' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string', default: '60' },
      pace: { type: 'string', default: 'live' },
      start: { type: 'string' },
      target: { type: 'string' },
      otlp: { type: 'string' },
      token: { type: 'string' },
      inbox: { type: 'string' },
      'shopify-secret': { type: 'string' },
      'stripe-secret': { type: 'string' },
      'erp-port': { type: 'string', default: '0' },
      truth: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      flat: { type: 'boolean', default: false },
    },
  });
  const scenario = values.scenario as ScenarioName;
  if (!SCENARIOS.includes(scenario)) throw new Error(`--scenario: unknown scenario "${values.scenario}"; one of ${SCENARIOS.join(', ')}`);
  const rate = number('--rate', values.rate, 0.1, MAX_RATE);
  const durationS = number('--duration', values.duration, 1, MAX_DURATION_S);
  if (rate * durationS * (scenario === 'peak' ? 10 : 1) > MAX_EVENTS) throw new Error(`--rate × --duration: at most ${MAX_EVENTS.toLocaleString('en')} events per run; lower one of them`);
  if (values.pace !== 'live' && values.pace !== 'fast') throw new Error(`--pace: "${values.pace}" is not live or fast`);
  const durationMs = Math.round(durationS * 1000);
  let start = values.pace === 'fast' ? now - durationMs : now;
  if (values.start !== undefined) {
    start = Date.parse(values.start);
    if (Number.isNaN(start)) throw new Error(`--start: "${values.start}" is not an ISO 8601 time`);
  }
  start = Math.floor(start / 1000) * 1000;
  if (values.pace === 'fast' && start + durationMs > now) throw new Error('--start: a fast run replays the past; it must end before now');
  const localHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const token = values.token ?? config.ingestTokens[0]?.token;
  if (!token) throw new Error('--token: no ingest token; pass --token or set FLOWLENS_INGEST_TOKENS as the server does');
  const shopifySecret = values['shopify-secret'] ?? config.shopifyWebhookSecrets[0];
  if (!shopifySecret) throw new Error('--shopify-secret: no Shopify webhook secret; pass it or set FLOWLENS_SHOPIFY_WEBHOOK_SECRETS as the server does');
  const stripeSecret = values['stripe-secret'] ?? config.stripeWebhookSecrets[0];
  if (!stripeSecret) throw new Error('--stripe-secret: no Stripe webhook secret; pass it or set FLOWLENS_STRIPE_WEBHOOK_SECRETS as the server does');
  return {
    scenario,
    rate,
    seed: values.seed,
    durationMs,
    pace: values.pace,
    start,
    target: loopbackUrl('--target', values.target ?? `http://${localHost}:${config.port}`),
    otlp: loopbackUrl('--otlp', values.otlp ?? `http://${localHost}:${config.otlpPort}`),
    token,
    inbox: values.inbox ?? config.inboxDir,
    shopifySecret,
    stripeSecret,
    erpPort: number('--erp-port', values['erp-port'], 0, 65_535),
    daily: !values.flat,
    truthFile: values.truth,
    quiet: values.quiet,
  };
}

function number(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${option}: "${text}" must be a number from ${min} to ${max}`);
  return value;
}

/** The simulator only ever talks to this machine: a load generator aimed elsewhere by mistake is a real incident. */
function loopbackUrl(option: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${option}: "${text}" is not a URL`);
  }
  if (!LOOPBACK.has(url.hostname)) throw new Error(`${option}: ${url.hostname} is not this machine; the simulator only sends to 127.0.0.1, localhost or ::1`);
  return url.toString().replace(/\/$/, '');
}
