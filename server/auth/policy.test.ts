import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_KINDS, ROUTE_RULES, decide, isMutating, requirementFor, servedRoutes, type IdentityKind } from './policy.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('requirementFor', () => {
  it('gives each kind of route its least identity', () => {
    expect(requirementFor('GET', '/healthz').rule.access).toBe('anonymous');
    expect(requirementFor('GET', '/metrics').rule.access).toBe('viewer');
    expect(requirementFor('POST', '/v1/events').rule.access).toBe('ingest');
    expect(requirementFor('POST', '/webhooks/stripe').rule.access).toBe('signature');
    expect(requirementFor('GET', '/api/v1/overview').rule.access).toBe('viewer');
    expect(requirementFor('POST', '/api/v1/replays').rule.access).toBe('operator');
    expect(requirementFor('POST', '/api/v1/replays/dry-run').rule.access).toBe('operator');
    expect(requirementFor('POST', '/api/v1/alerts/0123456789abcdef/acknowledge').rule.access).toBe('operator');
    expect(requirementFor('GET', '/api/v1/audit').rule.access).toBe('admin');
    expect(requirementFor('POST', '/api/v1/session').rule.access).toBe('anonymous');
    expect(requirementFor('GET', '/').rule.access).toBe('anonymous');
    expect(requirementFor('GET', '/assets/index-abc.js').rule.access).toBe('anonymous');
  });

  it('matches as express routes: any case, trailing slash, HEAD as GET; the most literal rule wins', () => {
    expect(requirementFor('post', '/API/V1/REPLAYS/').rule).toMatchObject({ pattern: '/api/v1/replays', access: 'operator' });
    expect(requirementFor('HEAD', '/api/v1/alerts/mutes').rule.pattern).toBe('/api/v1/alerts/mutes');
    expect(requirementFor('GET', '/api/v1/alerts/0123456789abcdef').rule.pattern).toBe('/api/v1/alerts/:id');
    expect(requirementFor('POST', '/api/v1/exceptions/actions').rule.action).toBe('exception.act_many');
    expect(requirementFor('POST', '/api/v1/exceptions/abc/actions').rule.action).toBe('exception.act');
  });

  it('decodes route parameters and keeps their case', () => {
    const { params, rule } = requirementFor('POST', '/api/v1/replays/rpl-ABC%2Fx/approve');
    expect(rule.action).toBe('replay.approve');
    expect(params).toEqual({ id: 'rpl-ABC/x' });
    expect(requirementFor('GET', '/api/v1/reconciliation/STL-9').params).toEqual({ settlementId: 'STL-9' });
  });

  it('fails closed for routes it does not list: reads under /api need a viewer, any unknown change an admin', () => {
    expect(requirementFor('GET', '/api/v1/config')).toMatchObject({ listed: false, rule: { access: 'viewer' } });
    expect(requirementFor('PUT', '/api/v1/config')).toMatchObject({ listed: false, rule: { access: 'admin', action: 'unlisted' } });
    expect(requirementFor('POST', '/anything')).toMatchObject({ listed: false, rule: { access: 'admin' } });
    expect(requirementFor('POST', '/anything').rule.action).toBeUndefined();
    // Express does not decode or resolve dots before routing, so these reach no API handler; still not anonymous.
    expect(requirementFor('POST', '/api/v1/%72eplays').rule.access).toBe('admin');
    expect(requirementFor('GET', '/api/v1/../v1/overview').rule.access).toBe('viewer');
    expect(requirementFor('GET', '/Api/v1/overview').rule.access).toBe('viewer');
  });
});

describe('decide', () => {
  const matrix = (access: Parameters<typeof decide>[0]) =>
    Object.fromEntries(IDENTITY_KINDS.map((kind: IdentityKind) => {
      const d = decide(access, kind);
      return [kind, d.allow ? (d.deferred ? 'route' : 'ok') : d.status];
    }));

  it('refuses nobody with 401 and a too-small role with 403; an ingest key never reads', () => {
    expect(matrix('viewer')).toEqual({ anonymous: 401, ingest: 403, viewer: 'ok', operator: 'ok', admin: 'ok' });
    expect(matrix('operator')).toEqual({ anonymous: 401, ingest: 403, viewer: 403, operator: 'ok', admin: 'ok' });
    expect(matrix('admin')).toEqual({ anonymous: 401, ingest: 403, viewer: 403, operator: 403, admin: 'ok' });
    expect(matrix('anonymous')).toEqual({ anonymous: 'ok', ingest: 'ok', viewer: 'ok', operator: 'ok', admin: 'ok' });
    expect(matrix('ingest')).toEqual({ anonymous: 'route', ingest: 'route', viewer: 'route', operator: 'route', admin: 'route' });
  });

  it('calls every method but GET, HEAD and OPTIONS mutating', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isMutating)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'patch', 'DELETE'].map(isMutating)).toEqual([true, true, true, true]);
  });
});

describe('the policy table', () => {
  it('lets only these routes past a viewer, and only these anyone (the spec, written out)', () => {
    const by = (access: string) => ROUTE_RULES.filter((r) => r.access === access).map((r) => `${r.method} ${r.pattern}`);
    expect(by('operator')).toEqual([
      'POST /api/v1/exceptions/actions',
      'POST /api/v1/exceptions/:id/actions',
      'POST /api/v1/alerts/mutes',
      'DELETE /api/v1/alerts/mutes/:id',
      'POST /api/v1/alerts/:id/acknowledge',
      'POST /api/v1/alerts/:id/resolve',
      'POST /api/v1/replays/dry-run',
      'POST /api/v1/replays',
      'POST /api/v1/replays/:id/approve',
      'POST /api/v1/replays/:id/cancel',
      'POST /api/v1/replays/:id/decide',
    ]);
    expect(by('admin')).toEqual(['GET /api/v1/audit']);
    expect(by('anonymous')).toEqual(['GET /healthz', 'GET /readyz', 'POST /api/v1/session', 'GET /api/v1/session', 'DELETE /api/v1/session']);
    expect(by('ingest')).toEqual(['POST /v1/events', 'POST /v1/files/:kind', 'POST /v1/traces', 'POST /v1/logs']);
    expect(by('signature')).toEqual(['POST /webhooks/shopify', 'POST /webhooks/stripe', 'POST /webhooks/standard']);
    // A viewer only reads (socket.io's long-polling posts are reads of the live feed).
    expect(ROUTE_RULES.filter((r) => r.access === 'viewer' && r.method !== 'GET').map((r) => r.pattern)).toEqual(['/socket.io/*']);
  });

  it('names an action for every mutating API route and none for reads or ingest', () => {
    for (const r of ROUTE_RULES) {
      const shouldAudit = isMutating(r.method) && r.pattern.startsWith('/api/');
      expect(r.action !== undefined, `${r.method} ${r.pattern}`).toBe(shouldAudit);
    }
  });

  it('gives every rule an example path that it matches itself', () => {
    for (const r of servedRoutes()) {
      const found = requirementFor(r.method, r.example.split('?')[0]!).rule;
      expect(`${found.method} ${found.pattern}`, r.example).toBe(`${r.method} ${r.pattern}`);
    }
  });

  it('has a rule for every route the route files serve, and serves every rule (drift guard)', () => {
    const served = scanRoutes();
    const listed = new Set(ROUTE_RULES.map((r) => `${r.method} ${r.pattern}`));
    expect(served.filter((s) => !listed.has(s)), 'routes without a policy rule').toEqual([]);
    // socket.io is not an express route (socketAuth.ts checks its handshake).
    const notExpress = new Set(['GET /socket.io/*', 'POST /socket.io/*']);
    expect([...listed].filter((l) => !served.includes(l) && !notExpress.has(l)), 'rules for routes no file serves').toEqual([]);
  });
});

/** Every `router.<method>('<path>')` / `app.<method>(…)` in the route files, with its mount prefix. */
function scanRoutes(): string[] {
  const files = [
    ...readdirSync(path.join(ROOT, 'server/http/routes')).filter((f) => f.endsWith('.ts') && !f.includes('.test.')).map((f) => `server/http/routes/${f}`),
    'server/http/app.ts',
    'collectors/events-api/eventsRoute.ts',
    'collectors/files/fileRoutes.ts',
    'collectors/webhooks/webhookRoutes.ts',
    'collectors/otlp/otlpRoutes.ts',
  ];
  const apiRoutes = readFileSync(path.join(ROOT, 'server/http/routes/apiRoutes.ts'), 'utf8');
  const prefixes = new Map([...apiRoutes.matchAll(/router\.use\('([^']+)',\s*(\w+)\(/g)].map((m) => [m[2]!, m[1]!]));
  const routes: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const factory = /export function (\w+)\(/.exec(text)?.[1] ?? '';
    const prefix = prefixes.get(factory) ?? '';
    const loops = new Map([...text.matchAll(/for \(const (\w+) of \[([^\]]+)\]/g)].map((m) => [m[1]!, [...m[2]!.matchAll(/'([^']+)'/g)].map((v) => v[1]!)]));
    for (const m of text.matchAll(/(?:router|app)\.(get|post|put|patch|delete)\(\s*(['`])([^'`]+)\2/g)) {
      const pattern = m[3]!;
      const variable = /\$\{(\w+)\}/.exec(pattern)?.[1];
      const expanded = variable === undefined ? [pattern] : (loops.get(variable) ?? []).map((v) => pattern.replace(`\${${variable}}`, v));
      for (const p of expanded) routes.push(`${m[1]!.toUpperCase()} ${p === '/' && prefix ? prefix : `${prefix}${p}`}`);
    }
  }
  return routes;
}
