import { REFERENCE, type AlertReceiver, type AlertRoutesFile, type AlertRulesFile, type AlertsCatalog, type ReceiverFile } from './alertSchema.js';
import { formatPath, type SlaPolicy } from './catalogSchema.js';

/** What the alert files are checked against: the rest of the catalog, and the environment `${NAME}` reads. */
export type AlertContext = {
  policies: readonly SlaPolicy[];
  /** Ids claimed by policy files that are broken themselves: reported there, not again here. */
  brokenPolicies: ReadonlySet<string>;
  /** Team ids of owners.yaml; undefined when that file is broken. */
  teams: readonly string[] | undefined;
  flows: readonly string[];
  /** The environment the config module was given; `${NAME}` references are filled in from it. */
  env: Readonly<Record<string, string | undefined>>;
};

export type AlertFile<T> = { file: string; value: T } | undefined;

/**
 * Check the rules and routes against the policies, teams and flows, and each other; fill in the receivers'
 * `${NAME}` references. `report(file, problem)` gets every problem as `<field>: <reason>`, ready for the file
 * prefix. A receiver whose reference is not set is off and listed in `unconfigured`, not a problem: a
 * development machine starts without the on-call secrets.
 */
export function checkAlerts(
  rulesFile: AlertFile<AlertRulesFile>,
  routesFile: AlertFile<AlertRoutesFile>,
  context: AlertContext,
  report: (file: string, problem: string) => void,
): AlertsCatalog {
  const policies = new Map(context.policies.map((p) => [p.id, p]));
  const policyList = () => [...policies.keys()].join(', ');
  const knownPolicy = (id: string) => policies.has(id) || context.brokenPolicies.has(id);

  if (rulesFile) {
    const at = (path: (string | number)[], message: string) => report(rulesFile.file, `${formatPath(path)}: ${message}`);
    rulesFile.value.rules.forEach((rule, r) => {
      if (rule.policies === '*') return;
      rule.policies.forEach((id, i) => {
        const policy = policies.get(id);
        if (!knownPolicy(id)) at(['rules', r, 'policies', i], `"${id}" is not an SLA policy (policies: ${policyList()})`);
        else if (policy && rule.condition === 'burn' && !policy.burnRate) {
          at(['rules', r, 'policies', i], `policy "${id}" has no burnRate: a burn rule needs one (add it to slas/${id}.yaml, or use a deadline rule)`);
        }
      });
    });
  }

  const receivers = new Map<string, AlertReceiver>();
  const unconfigured: string[] = [];
  if (routesFile) {
    const { file, value } = routesFile;
    const at = (path: (string | number)[], message: string) => report(file, `${formatPath(path)}: ${message}`);
    value.receivers.forEach((receiver, i) => {
      const resolved = resolveReceiver(receiver, context.env, (field, message) => at(['receivers', i, field], message));
      receivers.set(receiver.id, resolved);
      if (resolved.missing.length > 0) {
        const names = resolved.missing.map((n) => `\${${n}}`).join(', ');
        unconfigured.push(`${file}: ${formatPath(['receivers', i])}: ${names} ${resolved.missing.length === 1 ? 'is' : 'are'} not set; receiver "${receiver.id}" sends nothing`);
      }
    });
    const known = value.receivers.map((r) => r.id);
    const ruleIds = rulesFile?.value.rules.map((r) => r.id);
    value.routes.forEach((route, r) => {
      route.receivers.forEach((id, i) => {
        if (!known.includes(id)) at(['routes', r, 'receivers', i], `unknown receiver "${id}" (known: ${known.join(', ') || 'none: list them under receivers'})`);
      });
      const { owner, flow, policy, rule } = route.match;
      owner?.forEach((team, i) => {
        if (context.teams && !context.teams.includes(team)) at(['routes', r, 'match', 'owner', i], `"${team}" is not a team in owners.yaml (teams: ${context.teams.join(', ')})`);
      });
      flow?.forEach((id, i) => {
        if (!context.flows.includes(id)) at(['routes', r, 'match', 'flow', i], `"${id}" is not a flow of the catalog (flows: ${context.flows.join(', ')})`);
      });
      policy?.forEach((id, i) => {
        if (!knownPolicy(id)) at(['routes', r, 'match', 'policy', i], `"${id}" is not an SLA policy (policies: ${policyList()})`);
      });
      rule?.forEach((id, i) => {
        if (ruleIds && !ruleIds.includes(id)) at(['routes', r, 'match', 'rule', i], `"${id}" is not a rule of rules.yaml (rules: ${ruleIds.join(', ') || 'none'})`);
      });
    });
  }

  return {
    rules: rulesFile?.value.rules ?? [],
    routes: routesFile?.value.routes ?? [],
    receivers,
    unconfigured,
  };
}

/**
 * `${NAME}` references filled in from `env`: the text with every set reference replaced, and the names that
 * were not set (the text then still holds them).
 */
export function fillReferences(template: string, env: Readonly<Record<string, string | undefined>>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = template.replace(REFERENCE, (whole, name: string) => {
    const set = env[name];
    if (set === undefined || set.trim() === '') {
      missing.push(name);
      return whole;
    }
    return set.trim();
  });
  return { value, missing };
}

function resolveReceiver(receiver: ReceiverFile, env: AlertContext['env'], problem: (field: string, message: string) => void): AlertReceiver {
  const missing = new Set<string>();
  const fill = (template: string) => {
    const filled = fillReferences(template, env);
    for (const name of filled.missing) missing.add(name);
    return filled;
  };
  /** A URL field once filled in; a value that does not make an http(s) URL is a problem (without echoing it: it may be a secret). */
  const url = (field: string, template: string) => {
    const filled = fill(template);
    if (filled.missing.length === 0 && !isHttpUrl(filled.value)) {
      const source = template.match(REFERENCE);
      problem(field, source ? `the value of ${source.join(', ')} does not make an http(s) URL` : 'must be an http(s) URL');
    }
    return filled.value;
  };
  if (receiver.type === 'webhook') {
    const headers = Object.fromEntries(Object.entries(receiver.headers).map(([name, value]) => [name, fill(value).value]));
    const target = url('url', receiver.url);
    return { id: receiver.id, type: 'webhook', url: target, headers, missing: [...missing] };
  }
  if (receiver.type === 'slack') {
    const target = url('url', receiver.url);
    return { id: receiver.id, type: 'slack', url: target, missing: [...missing] };
  }
  const routingKey = fill(receiver.routingKey).value;
  const eventsUrl = url('eventsUrl', receiver.eventsUrl);
  return { id: receiver.id, type: 'pagerduty', routingKey, eventsUrl, missing: [...missing] };
}

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
