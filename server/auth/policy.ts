/**
 * The authorization policy, pure: who may call what. Every route the app serves has one rule naming the least
 * identity it needs and, for a mutating route, the stable action name the audit trail records. Routes not in the
 * table fail closed: an unknown mutating request needs an admin (a config change, say, until it has its rule),
 * an unknown read under /api needs a viewer. Collector writes keep their own checks (ingest keys, webhook
 * signatures); an ingest key can never read. Issue 7.
 */

/** The roles people and automation tokens hold, least first. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: nobody, an ingest key (writes events, never reads), or someone with a role. */
export const IDENTITY_KINDS = ['anonymous', 'ingest', ...ROLES] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/**
 * What a route asks of the caller: anyone; an ingest key or a webhook signature, which the route checks itself
 * (the auth middleware lets these through untouched); or at least a role.
 */
export type Access = 'anonymous' | 'ingest' | 'signature' | Role;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route: its method and express-style pattern (`:param` is one path segment), what it needs, where it lives. */
export type RouteRule = {
  method: HttpMethod;
  pattern: string;
  access: Access;
  /** Stable audit name of a mutating action (`replay.approve`); absent for reads and for ingest traffic. */
  action?: string;
  /** A concrete path that reaches the route, for tests that call every route. */
  example: string;
  /** Where the route is served. */
  source: string;
};

const ROUTES_DIR = 'server/http/routes';
const rule = (method: HttpMethod, pattern: string, access: Access, source: string, extra: { action?: string; example?: string } = {}): RouteRule => ({
  method,
  pattern,
  access,
  source,
  example: extra.example ?? pattern,
  ...(extra.action === undefined ? {} : { action: extra.action }),
});
const read = (pattern: string, source: string, example?: string) => rule('GET', pattern, 'viewer', `${ROUTES_DIR}/${source}`, example === undefined ? {} : { example });
const ALERT = '0123456789abcdef';
const JOB = 'rpl-0123456789abcdef0123';

/** Every route the app serves, and the OTLP receiver's on its own port. */
export const ROUTE_RULES: readonly RouteRule[] = [
  rule('GET', '/healthz', 'anonymous', `${ROUTES_DIR}/healthRoutes.ts`),
  rule('GET', '/readyz', 'anonymous', `${ROUTES_DIR}/healthRoutes.ts`),
  // Metrics name ingest keys and show traffic: Prometheus scrapes with a viewer API token.
  rule('GET', '/metrics', 'viewer', `${ROUTES_DIR}/healthRoutes.ts`),

  rule('POST', '/v1/events', 'ingest', 'collectors/events-api/eventsRoute.ts'),
  rule('POST', '/v1/files/:kind', 'ingest', 'collectors/files/fileRoutes.ts', { example: '/v1/files/settlement' }),
  rule('POST', '/webhooks/shopify', 'signature', 'collectors/webhooks/webhookRoutes.ts'),
  rule('POST', '/webhooks/stripe', 'signature', 'collectors/webhooks/webhookRoutes.ts'),
  rule('POST', '/webhooks/standard', 'signature', 'collectors/webhooks/webhookRoutes.ts'),
  rule('POST', '/v1/traces', 'ingest', 'collectors/otlp/otlpRoutes.ts (OTLP port)'),
  rule('POST', '/v1/logs', 'ingest', 'collectors/otlp/otlpRoutes.ts (OTLP port)'),

  rule('POST', '/api/v1/session', 'anonymous', `${ROUTES_DIR}/sessionRoutes.ts`, { action: 'session.login' }),
  rule('GET', '/api/v1/session', 'anonymous', `${ROUTES_DIR}/sessionRoutes.ts`),
  rule('DELETE', '/api/v1/session', 'anonymous', `${ROUTES_DIR}/sessionRoutes.ts`, { action: 'session.logout' }),

  rule('GET', '/api/v1/openapi.yaml', 'viewer', 'server/http/app.ts'),
  read('/api/v1/lineage', 'lineageRoutes.ts'),
  read('/api/v1/lineage/export', 'lineageRoutes.ts'),
  read('/api/v1/throughput', 'apiRoutes.ts'),
  read('/api/v1/inventory/lag', 'inventoryRoutes.ts'),
  read('/api/v1/inventory/lag/now', 'inventoryRoutes.ts'),
  read('/api/v1/inventory/lag/worst', 'inventoryRoutes.ts'),
  read('/api/v1/inventory/lag/by-location', 'inventoryRoutes.ts'),
  read('/api/v1/inventory/movements', 'inventoryRoutes.ts'),
  read('/api/v1/inventory/stale', 'inventoryRoutes.ts'),
  read('/api/v1/exceptions', 'exceptionRoutes.ts'),
  read('/api/v1/exceptions/aging', 'exceptionRoutes.ts'),
  read('/api/v1/exceptions/:id', 'exceptionRoutes.ts', `/api/v1/exceptions/${ALERT}`),
  rule('POST', '/api/v1/exceptions/actions', 'operator', `${ROUTES_DIR}/exceptionRoutes.ts`, { action: 'exception.act_many' }),
  rule('POST', '/api/v1/exceptions/:id/actions', 'operator', `${ROUTES_DIR}/exceptionRoutes.ts`, { action: 'exception.act', example: `/api/v1/exceptions/${ALERT}/actions` }),
  read('/api/v1/slas', 'slaRoutes.ts'),
  read('/api/v1/slas/:id/breaches', 'slaRoutes.ts', '/api/v1/slas/refund-ledger/breaches'),
  read('/api/v1/slas/:id/series', 'slaRoutes.ts', '/api/v1/slas/refund-ledger/series'),
  read('/api/v1/reconciliation', 'reconciliationRoutes.ts'),
  read('/api/v1/reconciliation/:settlementId', 'reconciliationRoutes.ts', '/api/v1/reconciliation/stl-1'),
  read('/api/v1/alerts', 'alertRoutes.ts'),
  read('/api/v1/alerts/mutes', 'alertRoutes.ts'),
  rule('POST', '/api/v1/alerts/mutes', 'operator', `${ROUTES_DIR}/alertRoutes.ts`, { action: 'alert.mute' }),
  rule('DELETE', '/api/v1/alerts/mutes/:id', 'operator', `${ROUTES_DIR}/alertRoutes.ts`, { action: 'alert.unmute', example: '/api/v1/alerts/mutes/mute-1' }),
  read('/api/v1/alerts/:id', 'alertRoutes.ts', `/api/v1/alerts/${ALERT}`),
  rule('POST', '/api/v1/alerts/:id/acknowledge', 'operator', `${ROUTES_DIR}/alertRoutes.ts`, { action: 'alert.acknowledge', example: `/api/v1/alerts/${ALERT}/acknowledge` }),
  rule('POST', '/api/v1/alerts/:id/resolve', 'operator', `${ROUTES_DIR}/alertRoutes.ts`, { action: 'alert.resolve', example: `/api/v1/alerts/${ALERT}/resolve` }),
  // A dry run sends nothing but asks targets' lookups: an operator's tool.
  rule('POST', '/api/v1/replays/dry-run', 'operator', `${ROUTES_DIR}/replayRoutes.ts`, { action: 'replay.dry_run' }),
  rule('POST', '/api/v1/replays', 'operator', `${ROUTES_DIR}/replayRoutes.ts`, { action: 'replay.create' }),
  read('/api/v1/replays', 'replayRoutes.ts'),
  read('/api/v1/replays/:id', 'replayRoutes.ts', `/api/v1/replays/${JOB}`),
  rule('POST', '/api/v1/replays/:id/approve', 'operator', `${ROUTES_DIR}/replayRoutes.ts`, { action: 'replay.approve', example: `/api/v1/replays/${JOB}/approve` }),
  rule('POST', '/api/v1/replays/:id/cancel', 'operator', `${ROUTES_DIR}/replayRoutes.ts`, { action: 'replay.cancel', example: `/api/v1/replays/${JOB}/cancel` }),
  rule('POST', '/api/v1/replays/:id/decide', 'operator', `${ROUTES_DIR}/replayRoutes.ts`, { action: 'replay.decide', example: `/api/v1/replays/${JOB}/decide` }),
  read('/api/v1/overview', 'apiRoutes.ts'),
  read('/api/v1/dashboards', 'apiRoutes.ts'),
  // The audit trail's reader (auditService.list) behind the audit screen.
  rule('GET', '/api/v1/audit', 'admin', `${ROUTES_DIR}/auditRoutes.ts`),

  // socket.io answers these before express (live throughput); its handshake checks a viewer (socketAuth.ts).
  rule('GET', '/socket.io/*', 'viewer', 'server/flowlens.ts (socket.io)', { example: '/socket.io/?EIO=4&transport=polling' }),
  rule('POST', '/socket.io/*', 'viewer', 'server/flowlens.ts (socket.io)', { example: '/socket.io/?EIO=4&transport=polling' }),
];

/** The web app's files and index.html: anyone (the sign-in page is one of them). */
export const STATIC_RULE: RouteRule = rule('GET', '/*', 'anonymous', 'server/http/app.ts (web app)', { example: '/' });
/** Prefixes the web app never serves (app.ts): a read there that no rule names is not a static file. */
const NOT_STATIC = ['/api/', '/v1/', '/webhooks/', '/socket.io/'];

/** A request's rule, and the route's parameters (decoded) when the rule has any. */
export type Requirement = { rule: RouteRule; params: Record<string, string>; listed: boolean };

type Compiled = { rule: RouteRule; regex: RegExp; names: string[]; literals: number };
const COMPILED: Compiled[] = ROUTE_RULES.map(compile);

/**
 * The rule for a request, matched the way express routes it: case-insensitive, a trailing slash ignored, on the
 * path as sent (percent-encoded). HEAD and OPTIONS are treated as GET. Among matching rules the one with the most
 * literal segments wins, so `/alerts/mutes` beats `/alerts/:id` whatever the table's order.
 */
export function requirementFor(method: string, path: string): Requirement {
  const verb = method.toUpperCase() === 'HEAD' || method.toUpperCase() === 'OPTIONS' ? 'GET' : method.toUpperCase();
  const normal = normalisePath(path);
  let best: { compiled: Compiled; match: RegExpExecArray } | undefined;
  for (const compiled of COMPILED) {
    if (compiled.rule.method !== verb) continue;
    const match = compiled.regex.exec(normal);
    if (match && (best === undefined || compiled.literals > best.compiled.literals)) best = { compiled, match };
  }
  if (best) return { rule: best.compiled.rule, params: paramsOf(best.compiled, best.match), listed: true };
  const lower = normal.toLowerCase();
  const underApi = lower === '/api' || lower.startsWith('/api/');
  if (verb === 'GET') {
    if (underApi) return unlisted(verb, 'viewer', false);
    const servedElsewhere = NOT_STATIC.some((p) => lower.startsWith(p));
    return { rule: servedElsewhere ? { ...STATIC_RULE, source: 'not served' } : STATIC_RULE, params: {}, listed: !servedElsewhere };
  }
  // A change under /api that no rule names is audited (a route added without its rule shows up there); elsewhere
  // nothing takes changes but the collectors, so scanners' noise is refused without filling the trail.
  return unlisted(verb, 'admin', underApi);
}

function unlisted(method: string, access: Access, audited: boolean): Requirement {
  const verb = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? method : 'POST') as HttpMethod;
  return { rule: { method: verb, pattern: '(unlisted)', access, source: 'not in the policy table', example: '', ...(audited ? { action: 'unlisted' } : {}) }, params: {}, listed: false };
}

/** The outcome of a policy check: let it through, let the route check it (ingest, signatures), or refuse. */
export type Decision = { allow: true; deferred: boolean } | { allow: false; status: 401 | 403; needs: Access };

const RANK: Record<IdentityKind, number> = { anonymous: 0, ingest: 0, viewer: 1, operator: 2, admin: 3 };

/**
 * Whether an identity of this kind meets `access`. Nobody gets 401 (say who you are), an identity without the
 * role 403 (say which role is needed); an ingest key holds no role, so it never reads.
 */
export function decide(access: Access, kind: IdentityKind): Decision {
  if (access === 'anonymous') return { allow: true, deferred: false };
  if (access === 'ingest' || access === 'signature') return { allow: true, deferred: true };
  if (RANK[kind] >= RANK[access]) return { allow: true, deferred: false };
  return { allow: false, status: kind === 'anonymous' ? 401 : 403, needs: access };
}

/** A method that changes something: audited, and held to the JSON-only rule under /api. */
export function isMutating(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** Every (method, path) the app serves, with a concrete example path: what an authorization matrix test walks. */
export function servedRoutes(): RouteRule[] {
  return [...ROUTE_RULES, STATIC_RULE];
}

function normalisePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function compile(r: RouteRule): Compiled {
  const names: string[] = [];
  let literals = 0;
  const parts = r.pattern
    .split('/')
    .slice(1)
    .map((segment) => {
      if (segment === '*') return '(?:/.*)?';
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '/([^/]+)';
      }
      literals++;
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    });
  return { rule: r, regex: new RegExp(`^${parts.join('')}$`, 'i'), names, literals };
}

function paramsOf(compiled: Compiled, match: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  compiled.names.forEach((name, i) => {
    const raw = match[i + 1] ?? '';
    try {
      params[name] = decodeURIComponent(raw);
    } catch {
      params[name] = raw;
    }
  });
  return params;
}
