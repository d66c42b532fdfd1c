import { z } from 'zod';
import { parseAllowEntry } from '../domain/replayAddressPolicy.js';
import type { ReplayTarget } from '../services/replay/replayPorts.js';

/**
 * Replay targets (issue 7): where a replay of events whose `replay_target` is a name is delivered. Only targets
 * listed here can be called. Read from `FLOWLENS_REPLAY_TARGETS` (JSON) or `replay.targets` in the config file,
 * an object keyed by target name. Header values may hold `${ENV_NAME}` references, resolved from the environment
 * the config module was given, so secrets stay out of config files; every problem names its path.
 */

/** The environment `loadConfig` was given. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

const SECRET_NAME = /auth|token|secret|key|signature|cookie|passw|credential/i;
/** Headers Flowlens sets on every replay itself; a target cannot override them. */
const RESERVED_HEADERS = ['idempotency-key', 'content-type', 'content-length', 'host', 'transfer-encoding', 'connection', 'user-agent'];
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_REFERENCE = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELDS = 'url, method, headers, secretHeaders, ratePerSecond, timeoutMs, lookupUrl, allowAddresses';
const FLOW_NAME = /^[a-z][a-z0-9_]*$/;

/** Whether a header (or query parameter) of this name carries a secret: authorization, tokens, keys, signatures, cookies. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

const httpUrl = z.string({ error: 'must be a URL string' }).superRefine((value, ctx) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return void ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, e.g. https://erp.example.com/v1/postings (got ${JSON.stringify(value)})` });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `must start with http:// or https:// (got ${parsed.protocol})` });
  if (parsed.username !== '' || parsed.password !== '') {
    ctx.addIssue({ code: 'custom', message: 'must not hold credentials; send them in headers, e.g. "Authorization": "Bearer ${ERP_TOKEN}"' });
  }
});

const headerName = z.string().regex(HEADER_NAME, 'must be an HTTP header name (letters, digits, - and the like)');

const targetSchema = z.strictObject(
  {
    url: httpUrl,
    method: z.enum(['POST', 'PUT', 'PATCH'], { error: 'must be POST, PUT or PATCH' }).default('POST'),
    headers: z.record(headerName, z.string({ error: 'must be a string' }), { error: 'must be an object of header names to values' }).default({}),
    secretHeaders: z.array(headerName, { error: 'must be a list of header names' }).default([]),
    ratePerSecond: z.number({ error: 'must be a number' }).positive('must be greater than 0').max(1000, 'must be at most 1000').default(5),
    timeoutMs: z.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be at least 100').max(300_000, 'must be at most 300000').default(10_000),
    lookupUrl: httpUrl.refine((u) => u.includes('{idempotency_key}'), 'must contain {idempotency_key} where the key goes').optional(),
    allowAddresses: z
      .array(z.string({ error: 'must be a string' }).superRefine((entry, ctx) => {
        const parsed = parseAllowEntry(entry);
        if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
      }), { error: 'must be a list of addresses, CIDR ranges or host names' })
      .default([]),
  },
  { error: 'must be an object such as {"url": "https://erp.example.com/v1/postings"}' },
);

export type ReplayTargetsResult = { ok: true; targets: ReplayTarget[] } | { ok: false; problems: string[] };

/**
 * Reads replay targets: a JSON string (from the environment) or an object (from the config file), keyed by
 * target name. Problems name their path, e.g. `erp.headers.Authorization: ${ERP_TOKEN} is not set`.
 */
export function parseReplayTargets(raw: unknown, env: ConfigEnv): ReplayTargetsResult {
  let value = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      return { ok: false, problems: [`must be JSON: ${(err as Error).message}`] };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: ['must be an object keyed by target name, e.g. {"erp": {"url": "https://erp.example.com/v1/postings"}}'] };
  }
  const problems: string[] = [];
  const targets: ReplayTarget[] = [];
  for (const [name, spec] of Object.entries(value)) {
    if (!TARGET_NAME.test(name)) {
      problems.push(`${JSON.stringify(name)}: a target name is 1–64 letters, digits, _ . or - (the events' replay_target)`);
      continue;
    }
    const parsed = targetSchema.safeParse(spec);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const unknownKey = issue.code === 'unrecognized_keys';
        const path = [name, ...issue.path.map(String), ...(unknownKey ? [issue.keys[0]!] : [])].join('.');
        problems.push(`${path}: ${unknownKey ? `unknown field (a target has ${FIELDS})` : issue.message}`);
      }
      continue;
    }
    const { headers, secretHeaders, lookupUrl, ...rest } = parsed.data;
    const resolved = resolveHeaders(name, headers, env);
    if (!resolved.ok) {
      problems.push(...resolved.problems);
      continue;
    }
    targets.push({ name, ...rest, headers: resolved.headers, secretHeaders: secretNames(headers, secretHeaders), ...(lookupUrl === undefined ? {} : { lookupUrl }) });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, targets };
}

/** The `replayTargets` setting's schema, for the environment `loadConfig` was given. */
export function replayTargetsSchema(env: ConfigEnv): z.ZodType<ReplayTarget[]> {
  return z.unknown().transform((raw, ctx) => {
    const result = parseReplayTargets(raw, env);
    if (result.ok) return result.targets;
    for (const message of result.problems) ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** Flows whose replays need a second person's approval: a comma list or an array of flow names. */
export const replayFourEyesFlowsSchema = z
  .union([z.string(), z.array(z.string())], { error: 'must be a comma-separated list of flow names' })
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((f) => f.trim()).filter((f) => f.length > 0))
  .pipe(z.array(z.string().regex(FLOW_NAME, 'each flow must be a flow name such as order_to_cash')));

type Resolved = { ok: true; headers: Record<string, string> } | { ok: false; problems: string[] };

function resolveHeaders(target: string, headers: Record<string, string>, env: ConfigEnv): Resolved {
  const problems: string[] = [];
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [header, template] of Object.entries(headers)) {
    const path = `${target}.headers.${header}`;
    const lower = header.toLowerCase();
    if (RESERVED_HEADERS.includes(lower)) problems.push(`${path}: set by Flowlens on every replay; remove it`);
    if (seen.has(lower)) problems.push(`${path}: given twice (header names are case-insensitive)`);
    seen.add(lower);
    const value = template.replace(ENV_REFERENCE, (reference: string, envName: string) => {
      const found = ENV_NAME.test(envName) ? env[envName] : undefined;
      if (!ENV_NAME.test(envName)) problems.push(`${path}: ${reference} is not an environment variable reference (\${NAME}: letters, digits, _)`);
      else if (found === undefined) problems.push(`${path}: ${reference} is not set`);
      else if (found.trim() === '') problems.push(`${path}: ${reference} is empty`);
      return found ?? '';
    });
    // A line break would let a value add headers of its own; the value itself is never shown (it may be a secret).
    if (hasControlCharacter(value)) problems.push(`${path}: holds a line break or another control character, which a header value cannot`);
    out[header] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, headers: out };
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

function secretNames(headers: Record<string, string>, listed: readonly string[]): string[] {
  const names = [...Object.keys(headers).filter(isSecretName), ...listed];
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}
