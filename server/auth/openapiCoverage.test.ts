import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROLES, ROUTE_RULES, type Access, type RouteRule } from './policy.js';
import { SESSION_COOKIE } from './sessions.js';

/**
 * docs/openapi.yaml against the policy table (issue 7): every route the table lists is documented with the
 * credentials its rule asks for, every documented operation has a rule, and no request body names an `actor`
 * (the caller is recorded instead). A route added to one and not the other fails here.
 */

type Json = Record<string, unknown>;
type Operation = { security?: unknown; 'x-flowlens-role'?: unknown; parameters?: unknown; requestBody?: unknown; responses?: Json };
type Documented = { key: string; path: string; operation: Operation };

const DOC_FILE = new URL('../../docs/openapi.yaml', import.meta.url);
const doc = parse(readFileSync(DOC_FILE, 'utf8')) as {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Json; responses: Json; schemas: Record<string, unknown> };
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ROLE_SECURITY = [{ apiToken: [] }, { sessionCookie: [] }];

/** Every operation of the document, keyed `METHOD /path/{param}`. */
const documented: Documented[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, path, operation })),
);
const byKey = new Map(documented.map((d) => [d.key, d]));

/** socket.io answers before express and is not an HTTP API: its handshake is described in the info text. */
const isSocketIo = (r: RouteRule) => r.pattern.startsWith('/socket.io/');
/** The OTLP receiver listens on its own port; the document may describe it in the info text only. */
const isOtlpPort = (r: RouteRule) => r.source.includes('(OTLP port)');
const specKey = (r: RouteRule) => `${r.method} ${r.pattern.replace(/:(\w+)/g, '{$1}')}`;
const httpRules = ROUTE_RULES.filter((r) => !isSocketIo(r));
const isRole = (access: Access) => (ROLES as readonly string[]).includes(access);

describe('docs/openapi.yaml covers the policy table', () => {
  it('documents every route the policy table lists (the OTLP port in the info text at least)', () => {
    const missing = httpRules.filter((r) => {
      if (byKey.has(specKey(r))) return false;
      if (isOtlpPort(r)) return !doc.info.description.includes(`${r.method} ${r.pattern}`);
      return true;
    });
    expect(missing.map(specKey), 'rules with no documented operation').toEqual([]);
    // The OTLP routes are real rules, so the exemption above is not vacuous.
    expect(httpRules.filter(isOtlpPort).map(specKey)).toEqual(['POST /v1/traces', 'POST /v1/logs']);
  });

  it('has a policy rule for every documented operation', () => {
    const ruled = new Set(httpRules.map(specKey));
    expect(documented.map((d) => d.key).filter((k) => !ruled.has(k)), 'documented operations no rule names').toEqual([]);
  });

  it('asks each operation for the credentials its rule names, and says the least role it needs', () => {
    const rows = httpRules.filter((r) => byKey.has(specKey(r)));
    const actual = Object.fromEntries(rows.map((r) => [specKey(r), credentialsOf(byKey.get(specKey(r))!.operation)]));
    const expected = Object.fromEntries(rows.map((r) => [specKey(r), expectedCredentials(r.access)]));
    expect(actual).toEqual(expected);
  });

  it('documents each webhook signature as a required header', () => {
    for (const r of httpRules.filter((rule) => rule.access === 'signature')) {
      const headers = parametersOf(byKey.get(specKey(r))?.operation).filter((p) => p.in === 'header' && p.required === true);
      expect(headers.some((p) => /signature|hmac/i.test(String(p.name))), specKey(r)).toBe(true);
    }
  });

  it('answers 401 and 403 on every role operation and 415 on every change under /api, from the shared responses', () => {
    const wrong: string[] = [];
    for (const r of httpRules.filter((rule) => byKey.has(specKey(rule)))) {
      const responses = byKey.get(specKey(r))!.operation.responses ?? {};
      const refOf = (status: string) => (responses[status] as { $ref?: string } | undefined)?.$ref;
      if (isRole(r.access)) {
        if (refOf('401') !== '#/components/responses/Unauthenticated') wrong.push(`${specKey(r)} 401`);
        // One 403 may also carry a route's own refusal (a requester approving their own job); it still names `forbidden`.
        const forbidden = responses['403'] as { $ref?: string; description?: string } | undefined;
        if (forbidden?.$ref !== '#/components/responses/Forbidden' && !forbidden?.description?.includes('`forbidden`')) wrong.push(`${specKey(r)} 403`);
      }
      if (r.method !== 'GET' && r.pattern.startsWith('/api/') && refOf('415') !== '#/components/responses/UnsupportedMediaType') wrong.push(`${specKey(r)} 415`);
    }
    expect(wrong).toEqual([]);
    for (const name of ['Unauthenticated', 'Forbidden', 'UnsupportedMediaType']) {
      expect(doc.components.responses[name], name).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    }
  });

  it('describes the schemes the authenticator reads', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      ingestToken: { type: 'http', scheme: 'bearer' },
      apiToken: { type: 'http', scheme: 'bearer' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
    });
  });
});

describe('docs/openapi.yaml request bodies', () => {
  it('never take an actor: the caller is recorded instead', () => {
    const bodies = documented.filter((d) => d.operation.requestBody !== undefined);
    expect(bodies.length).toBeGreaterThan(10);
    const offending = bodies.flatMap((d) => propertyPaths(d.operation.requestBody, d.key, new Set()).filter((p) => /(^|\.)actor$/.test(p)));
    expect(offending).toEqual([]);
  });

  it('are walked deep enough to see an actor (the check above can fail)', () => {
    expect(propertyPaths({ $ref: '#/components/schemas/ExceptionDetail' }, 'ExceptionDetail', new Set())).toContain('ExceptionDetail.history.actor');
  });
});

function credentialsOf(operation: Operation): { security: unknown; role: unknown } {
  return { security: operation.security ?? '(none)', role: operation['x-flowlens-role'] ?? '(none)' };
}

function expectedCredentials(access: Access): { security: unknown; role: unknown } {
  switch (access) {
    case 'anonymous':
    case 'signature':
      return { security: [], role: '(none)' };
    case 'ingest':
      return { security: [{ ingestToken: [] }], role: '(none)' };
    default:
      return { security: ROLE_SECURITY, role: access };
  }
}

function parametersOf(operation: Operation | undefined): Json[] {
  return Array.isArray(operation?.parameters) ? (operation.parameters as Json[]) : [];
}

/**
 * Every property name reachable from a node of the document (request body, media types, schemas, `$ref`s,
 * allOf/oneOf/anyOf, items, additionalProperties), as dotted paths from `at`; and `required` names, since a
 * body could require an `actor` it does not describe.
 */
function propertyPaths(node: unknown, at: string, seen: Set<string>): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((n) => propertyPaths(n, at, seen));
  const obj = node as Json;
  if (typeof obj.$ref === 'string') {
    if (seen.has(obj.$ref)) return [];
    return propertyPaths(resolve(obj.$ref), at, new Set([...seen, obj.$ref]));
  }
  const found: string[] = [];
  if (Array.isArray(obj.required)) found.push(...obj.required.map((name) => `${at}.${String(name)}`));
  const properties = (obj.properties ?? {}) as Json;
  for (const [name, schema] of Object.entries(properties)) found.push(`${at}.${name}`, ...propertyPaths(schema, `${at}.${name}`, seen));
  for (const key of ['content', 'schema', 'allOf', 'oneOf', 'anyOf', 'items', 'additionalProperties', 'not']) {
    const child = obj[key];
    if (key === 'content' && child !== null && typeof child === 'object') found.push(...Object.values(child as Json).flatMap((media) => propertyPaths(media, at, seen)));
    else found.push(...propertyPaths(child, at, seen));
  }
  return [...new Set(found)];
}

function resolve(ref: string): unknown {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unexpected $ref ${ref}`);
  const target = doc.components.schemas[ref.slice(prefix.length)];
  if (target === undefined) throw new Error(`$ref to a missing schema: ${ref}`);
  return target;
}
