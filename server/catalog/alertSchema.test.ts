import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fillReferences } from './alertCatalog.js';
import { DEFAULT_RESOLVE_HOLD_MS, PAGERDUTY_EVENTS_URL } from './alertSchema.js';
import { validateDocument } from './catalogSchema.js';
import { CatalogError, loadCatalog } from './loadCatalog.js';

const problems = (kind: 'alertRules' | 'alertRoutes', doc: unknown) => {
  const result = validateDocument(kind, doc);
  return result.ok ? [] : result.problems;
};

describe('alerts/rules.yaml on its own', () => {
  it('fills in the defaults: one alert per policy, at once, counting what is open past the deadline', () => {
    const result = validateDocument('alertRules', { schemaVersion: 1, rules: [{ id: 'stuck', name: 'Stuck', policies: '*', condition: 'deadline' }] });
    expect(result).toEqual({
      ok: true,
      value: { schemaVersion: 1, rules: [{ id: 'stuck', name: 'Stuck', policies: '*', condition: 'deadline', groupBy: 'policy', outcomes: ['open_breached'], threshold: 1, forMs: 0, resolveHoldMs: DEFAULT_RESOLVE_HOLD_MS }] },
    });
  });

  it('names the field and the reason of every problem', () => {
    expect(
      problems('alertRules', {
        schemaVersion: 1,
        rules: [
          { id: 'Burn', name: 'x', policies: [], condition: 'burning', for: '90' },
          { id: 'b', name: 'x', policies: ['a', 'a'], condition: 'burn', threshold: 3, groupBy: 'group', outcomes: 'late' },
          { id: 'b', name: 'x', policies: 'refund-ledger', condition: 'deadline', threshold: 0, colour: 'red' },
        ],
      }),
    ).toEqual([
      'rules[0].id: must be lower-kebab-case, e.g. integration-support',
      'rules[0].policies: must name at least one policy, or be "*" for every policy',
      'rules[0].condition: must be one of burn, deadline',
      'rules[0].for: "90" is not a duration: write a whole number above 0 and a unit (ms, s, m, h, d), e.g. 90s, 5m, 2h, 28d',
      'rules[1].policies[1]: "a" is listed twice',
      "rules[1].outcomes: only a deadline rule counts outcomes; a burn rule fires on the policy's burn-rate alert",
      "rules[1].threshold: only a deadline rule has a threshold; a burn rule uses the policy's burnRate.factor",
      'rules[1].groupBy: the burn rate is evaluated over the whole policy: use groupBy: policy',
      'rules[2].policies: must be "*" (every SLA policy) or a list of policy ids',
      'rules[2].threshold: must be at least 1',
      'rules[2].colour: unknown field',
    ]);
    // Repeated ids are found once every rule is right on its own.
    const rule = { name: 'x', policies: '*', condition: 'deadline' };
    expect(problems('alertRules', { schemaVersion: 1, rules: [{ id: 'b', ...rule }, { id: 'b', ...rule }] })).toEqual(['rules[1].id: "b" is listed twice']);
  });
});

describe('alerts/routes.yaml on its own', () => {
  it('defaults PagerDuty to the public events URL and a route to a reminder every hour', () => {
    const result = validateDocument('alertRoutes', { schemaVersion: 1, receivers: [{ id: 'pd', type: 'pagerduty', routingKey: '${PD_KEY}' }], routes: [{ name: 'all', receivers: ['pd'] }] });
    expect(result).toMatchObject({ ok: true, value: { receivers: [{ eventsUrl: PAGERDUTY_EVENTS_URL }], routes: [{ match: {}, continue: false, renotifyEvery: 3_600_000 }] } });
  });

  it('names the field and the reason of every problem', () => {
    expect(
      problems('alertRoutes', {
        schemaVersion: 1,
        receivers: [
          { id: 'teams', type: 'msteams', url: 'http://x' },
          { id: 'chat', type: 'slack', url: 'hooks.slack.com/x' },
          { id: 'pd', type: 'pagerduty', routingKey: '$PD_KEY' },
          { id: 'hook', type: 'webhook', url: '${lower_case}' },
        ],
        routes: [{ name: 'r', match: { severity: 'page' }, receivers: [] }],
      }),
    ).toEqual([
      'receivers[0].type: must be one of webhook, slack, pagerduty',
      'receivers[1].url: must be an http(s) URL, or a ${NAME} reference to one, e.g. ${FLOWLENS_SLACK_WEBHOOK_URL}',
      'receivers[2].routingKey: a reference is written ${NAME}, NAME in upper case letters, digits and _, e.g. ${FLOWLENS_PAGERDUTY_ROUTING_KEY}',
      'receivers[3].url: a reference is written ${NAME}, NAME in upper case letters, digits and _, e.g. ${FLOWLENS_PAGERDUTY_ROUTING_KEY}',
      'routes[0].match.severity: must be one of critical, warning, info',
      'routes[0].receivers: must name at least one receiver',
    ]);
    const chat = { type: 'slack', url: 'http://127.0.0.1/x' };
    expect(problems('alertRoutes', { schemaVersion: 1, receivers: [{ id: 'chat', ...chat }, { id: 'chat', ...chat }], routes: [{ name: 'r', receivers: ['chat', 'chat'] }] })).toEqual([
      'receivers[1].id: "chat" is listed twice',
      'routes[0].receivers[1]: "chat" is listed twice',
    ]);
  });
});

describe('fillReferences', () => {
  it('fills in every set name and lists the others', () => {
    expect(fillReferences('https://hooks.slack.com/services/${A}/${B}', { A: 'T0', B: ' ' })).toEqual({ value: 'https://hooks.slack.com/services/T0/${B}', missing: ['B'] });
  });
});

describe('loading dashboards/alerts/ with the catalog', () => {
  const repoDashboards = fileURLToPath(new URL('../../dashboards/', import.meta.url));
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** The repository's flows, policies and owners, with these alert files. */
  function catalogDir(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(tmpdir(), 'flowlens-alerts-catalog-'));
    for (const part of ['flows', 'slas', 'owners.yaml']) cpSync(path.join(repoDashboards, part), path.join(dir, part), { recursive: true });
    mkdirSync(path.join(dir, 'alerts'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'alerts', name), text);
    return dir;
  }
  const catalogProblems = (files: Record<string, string>, env = {}) => {
    try {
      loadCatalog(catalogDir(files), { env });
      return [];
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      return error.problems.map((p) => p.replace(/^flowlens-alerts-catalog-\w+\//, 'dashboards/'));
    }
  };

  const RULES = 'schemaVersion: 1\nrules:\n  - { id: stuck, name: Stuck, policies: [refund-ledger], condition: deadline }\n';
  const ROUTES = 'schemaVersion: 1\nreceivers:\n  - { id: oncall, type: pagerduty, routingKey: "${PD_KEY}" }\n  - { id: chat, type: slack, url: "${SLACK_URL}" }\nroutes:\n  - { name: all, receivers: [oncall, chat] }\n';

  it('checks rules and routes against the policies, the teams, the flows and each other', () => {
    const rules = [
      'schemaVersion: 1',
      'rules:',
      '  - { id: stuck, name: Stuck, policies: [refund-ledgr], condition: deadline }',
      '  - { id: burn, name: Burn, policies: [order-shipped, refund-ledger], condition: burn }',
    ].join('\n');
    const routes = [
      'schemaVersion: 1',
      'receivers:',
      '  - { id: oncall, type: pagerduty, routingKey: k }',
      '  - { id: chat, type: slack, url: "http://127.0.0.1/x" }',
      'routes:',
      '  - { name: a, receivers: [oncall] }',
      '  - { name: b, match: { owner: treasury, flow: returns, policy: nope, rule: stuk }, receivers: [pd] }',
    ].join('\n');
    expect(catalogProblems({ 'rules.yaml': rules, 'routes.yaml': routes })).toEqual([
      'dashboards/alerts/rules.yaml: rules[0].policies[0]: "refund-ledgr" is not an SLA policy (policies: inventory-erp-posted, inventory-published, order-invoiced, order-shipped, refund-ledger, return-refunded, settlement-ledger, transfer-erp-posted)',
      'dashboards/alerts/rules.yaml: rules[1].policies[0]: policy "order-shipped" has no burnRate: a burn rule needs one (add it to slas/order-shipped.yaml, or use a deadline rule)',
      'dashboards/alerts/routes.yaml: routes[1].receivers[0]: unknown receiver "pd" (known: oncall, chat)',
      'dashboards/alerts/routes.yaml: routes[1].match.owner[0]: "treasury" is not a team in owners.yaml (teams: integration-support, finance, store-ops, warehouse-ops, ecommerce-ops)',
      'dashboards/alerts/routes.yaml: routes[1].match.flow[0]: "returns" is not a flow of the catalog (flows: inventory_sync, order_to_cash, return_to_refund, settlement_to_ledger, transfer)',
      'dashboards/alerts/routes.yaml: routes[1].match.policy[0]: "nope" is not an SLA policy (policies: inventory-erp-posted, inventory-published, order-invoiced, order-shipped, refund-ledger, return-refunded, settlement-ledger, transfer-erp-posted)',
      'dashboards/alerts/routes.yaml: routes[1].match.rule[0]: "stuk" is not a rule of rules.yaml (rules: stuck, burn)',
    ]);
  });

  it('fills in secrets from the environment; a receiver whose variable is unset is off and reported, not a problem', () => {
    const catalog = loadCatalog(catalogDir({ 'rules.yaml': RULES, 'routes.yaml': ROUTES }), { env: { PD_KEY: 'R0UT1NG' } });
    expect(catalog.alerts.receivers.get('oncall')).toEqual({ id: 'oncall', type: 'pagerduty', routingKey: 'R0UT1NG', eventsUrl: PAGERDUTY_EVENTS_URL, missing: [] });
    expect(catalog.alerts.receivers.get('chat')).toMatchObject({ missing: ['SLACK_URL'] });
    expect(catalog.alerts.unconfigured).toEqual([expect.stringMatching(/alerts\/routes\.yaml: receivers\[1\]: \$\{SLACK_URL\} is not set; receiver "chat" sends nothing$/)]);
    expect(catalog.alerts.rules.map((r) => r.id)).toEqual(['stuck']);
  });

  it('refuses a secret that does not make a URL, without showing it', () => {
    expect(catalogProblems({ 'routes.yaml': ROUTES }, { PD_KEY: 'k', SLACK_URL: 'xoxb-not-a-url' })).toEqual(['dashboards/alerts/routes.yaml: receivers[1].url: the value of ${SLACK_URL} does not make an http(s) URL']);
  });

  it('reads only rules.yaml and routes.yaml there, and loads without the folder', () => {
    expect(catalogProblems({ 'rules.yaml': RULES, 'route.yaml': ROUTES })).toEqual(['dashboards/alerts/route.yaml: not read: the alerts folder holds rules.yaml and routes.yaml']);
    rmSync(path.join(catalogDir({}), 'alerts'), { recursive: true });
    expect(loadCatalog(dir!).alerts).toMatchObject({ rules: [], routes: [], unconfigured: [] });
  });
});
