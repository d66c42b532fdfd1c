import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { checkAlerts, type AlertFile } from './alertCatalog.js';
import { NO_ALERTS, type AlertRoutesFile, type AlertRulesFile, type AlertsCatalog } from './alertSchema.js';
import type { Catalog } from './catalog.js';
import { formatPath, validateDocument, type DocumentKind, type Flow, type OwnersFile, type SlaPolicy, type ViewFile } from './catalogSchema.js';

/** Every problem found in the catalog files, each `<file>: <field>: <reason>`, grouped by file. */
export class CatalogError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`the flow catalog has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'CatalogError';
    this.problems = problems;
  }
}

type Loaded<T> = {
  /** As shown in problems: `dashboards/slas/refund-ledger.yaml`. */
  file: string;
  /** The file name without `.yaml`, which must be the id. */
  stem: string;
  /** Undefined when the file has problems of its own. */
  value?: T;
  /** The id the file claims even when it is broken, so others referring to it are not reported too. */
  claimedId?: string;
};

/** Problems by file, in the order files were read. */
class Problems {
  readonly byFile = new Map<string, string[]>();

  /** Keep problems in reading order, whichever check finds them. */
  register(file: string): void {
    if (!this.byFile.has(file)) this.byFile.set(file, []);
  }

  add(file: string, problem: string): void {
    const list = this.byFile.get(file) ?? [];
    list.push(problem);
    this.byFile.set(file, list);
  }

  all(): string[] {
    return [...this.byFile.values()].flat();
  }
}

export type LoadOptions = {
  /**
   * The environment the config module was given: the alert receivers' `${NAME}` references are filled in from
   * it. Without it (or with a name unset) a receiver that uses one is off and listed in `alerts.unconfigured`.
   */
  env?: Readonly<Record<string, string | undefined>>;
};

/**
 * Read `flows/*.yaml`, `slas/*.yaml`, `owners.yaml`, `views/*.yaml` (optional) and `alerts/rules.yaml` and
 * `alerts/routes.yaml` (optional) under `dir` (synchronously: it runs once at boot), check each against its schema
 * and all of them against each other. Throws one CatalogError listing every problem.
 */
export function loadCatalog(dir: string, options: LoadOptions = {}): Catalog {
  const root = path.resolve(dir);
  const shown = (...parts: string[]) => [path.basename(root), ...parts].join('/');
  const problems = new Problems();
  const flows = loadFolder<Flow>(root, 'flows', 'flow', shown, problems);
  const policies = loadFolder<SlaPolicy>(root, 'slas', 'sla', shown, problems);
  const owners = loadFile<OwnersFile>(path.join(root, 'owners.yaml'), shown('owners.yaml'), 'owners', 'owners', problems);
  const views = existsSync(path.join(root, 'views')) ? loadFolder<ViewFile>(root, 'views', 'view', shown, problems) : [];
  const alertFiles = existsSync(path.join(root, 'alerts')) ? loadAlertFiles(root, shown, problems) : undefined;

  checkIds(flows, 'flow', problems);
  checkIds(policies, 'policy', problems);
  checkIds(views, 'view', problems);
  const flowsById = new Map(flows.flatMap((f) => (f.value ? [[f.value.id, f.value] as const] : [])));
  const brokenFlows = new Set(flows.flatMap((f) => (f.value === undefined && f.claimedId !== undefined ? [f.claimedId] : [])));
  const context = { flowsById, brokenFlows, owners: owners?.value, problems };
  for (const policy of policies) if (policy.value) checkPolicy(policy.file, policy.value, context);
  if (owners?.value) checkRules(owners.file, owners.value, context);
  for (const view of views) if (view.value) checkView(view.file, view.value, context);
  let alerts: AlertsCatalog = NO_ALERTS;
  if (alertFiles) {
    const loadedPolicies = policies.flatMap((p) => (p.value ? [p.value] : []));
    const brokenPolicies = new Set(policies.flatMap((p) => (p.value === undefined ? [p.stem, ...(p.claimedId === undefined ? [] : [p.claimedId])] : [])));
    alerts = checkAlerts(
      alertFiles.rules,
      alertFiles.routes,
      { policies: loadedPolicies, brokenPolicies, teams: owners?.value?.teams.map((t) => t.id), flows: [...flowsById.keys(), ...brokenFlows], env: options.env ?? {} },
      (file, problem) => problems.add(file, `${file}: ${problem}`),
    );
  }

  const all = problems.all();
  if (all.length > 0 || !owners?.value) throw new CatalogError(all);
  const teams = new Map(owners.value.teams.map((t) => [t.id, t]));
  return {
    flows: new Map([...flowsById].sort(([a], [b]) => a.localeCompare(b))),
    policies: policies.flatMap((p) => (p.value ? [p.value] : [])).sort((a, b) => a.id.localeCompare(b.id)),
    owners: { teams, defaultTeam: teams.get(owners.value.default)!, rules: owners.value.rules },
    views: views
      .flatMap((v) => (v.value ? [v.value] : []))
      .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
      .map(({ schemaVersion: _version, order: _order, ...view }) => view),
    alerts,
  };
}

const ALERT_FILES = ['rules.yaml', 'routes.yaml'] as const;

/** `alerts/rules.yaml` and `alerts/routes.yaml`, each optional; any other file there is a problem (a misspelt name would switch alerting off). */
function loadAlertFiles(root: string, shown: (...parts: string[]) => string, problems: Problems): { rules: AlertFile<AlertRulesFile>; routes: AlertFile<AlertRoutesFile> } {
  const names = readdirSync(path.join(root, 'alerts')).sort();
  for (const name of names.filter((n) => !(ALERT_FILES as readonly string[]).includes(n))) {
    problems.add(shown('alerts', name), `${shown('alerts', name)}: not read: the alerts folder holds ${ALERT_FILES.join(' and ')}`);
  }
  const load = <T>(name: (typeof ALERT_FILES)[number], kind: 'alertRules' | 'alertRoutes'): AlertFile<T> => {
    if (!names.includes(name)) return undefined;
    const loaded = loadFile<T>(path.join(root, 'alerts', name), shown('alerts', name), name, kind, problems);
    return loaded?.value === undefined ? undefined : { file: loaded.file, value: loaded.value };
  };
  return { rules: load<AlertRulesFile>('rules.yaml', 'alertRules'), routes: load<AlertRoutesFile>('routes.yaml', 'alertRoutes') };
}

function loadFolder<T>(root: string, folder: string, kind: DocumentKind, shown: (...parts: string[]) => string, problems: Problems): Loaded<T>[] {
  let names: string[];
  try {
    names = readdirSync(path.join(root, folder)).sort();
  } catch {
    problems.add(shown(folder), `${shown(folder)}/: folder is missing`);
    return [];
  }
  for (const name of names.filter((n) => n.endsWith('.yml'))) problems.add(shown(folder, name), `${shown(folder, name)}: rename it to .yaml (only .yaml files are read)`);
  const files = names.filter((n) => n.endsWith('.yaml'));
  if (files.length === 0 && kind === 'flow') problems.add(shown(folder), `${shown(folder)}/: holds no .yaml files (one file per flow)`);
  return files.flatMap((name) => loadFile<T>(path.join(root, folder, name), shown(folder, name), name.slice(0, -'.yaml'.length), kind, problems) ?? []);
}

function loadFile<T>(absolute: string, file: string, stem: string, kind: DocumentKind, problems: Problems): Loaded<T> | undefined {
  problems.register(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.add(file, `${file}: ${missing ? 'file is missing' : `cannot be read (${(error as Error).message})`}`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlProblems = [...doc.errors, ...doc.warnings];
  for (const e of yamlProblems) problems.add(file, `${file}:${lines.linePos(e.pos[0]).line}: ${firstLine(e.message)}`);
  if (yamlProblems.length > 0) return { file, stem };
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // Well-formed YAML can still fail to build, e.g. an alias bomb past the library's alias limit.
    problems.add(file, `${file}: ${(error as Error).message}`);
    return { file, stem };
  }
  const claimedId = raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
  const result = validateDocument(kind, raw);
  if (!result.ok) {
    for (const p of result.problems) problems.add(file, `${file}: ${p}`);
    return { file, stem, claimedId };
  }
  return { file, stem, value: result.value as T, claimedId };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Each id is its file's name, so a flow or policy is found by its id; and no two files claim one id. */
function checkIds(loaded: Loaded<{ id: string }>[], what: string, problems: Problems): void {
  const firstFile = new Map<string, string>();
  for (const { file, stem, value } of loaded) {
    if (!value) continue;
    if (value.id !== stem) problems.add(file, `${file}: id: "${value.id}" must match the file name (${stem}.yaml holds the ${what} "${stem}")`);
    const other = firstFile.get(value.id);
    if (other) problems.add(file, `${file}: id: "${value.id}" is already the id of ${other}`);
    else firstFile.set(value.id, file);
  }
}

type Context = {
  flowsById: ReadonlyMap<string, Flow>;
  brokenFlows: ReadonlySet<string>;
  owners: OwnersFile | undefined;
  problems: Problems;
};

function checkPolicy(file: string, sla: SlaPolicy, { flowsById, brokenFlows, owners, problems }: Context): void {
  const report = (field: (string | number)[], message: string) => problems.add(file, `${file}: ${formatPath(field)}: ${message}`);
  if (owners && !owners.teams.some((t) => t.id === sla.owner)) {
    report(['owner'], `"${sla.owner}" is not a team in owners.yaml (teams: ${owners.teams.map((t) => t.id).join(', ')})`);
  }
  const flow = flowsById.get(sla.flow);
  if (!flow) {
    // A flow whose own file is broken is reported there; its policies are checked once it loads.
    if (!brokenFlows.has(sla.flow)) report(['flow'], `"${sla.flow}" is not a flow of the catalog (flows: ${[...flowsById.keys()].join(', ')})`);
    return;
  }
  const notAStep = (step: string) => `"${step}" is not a step of flow ${flow.id}`;
  sla.start.steps.forEach((step, i) => {
    if (!flow.steps.some((s) => s.id === step)) report(['start', 'steps', i], notAStep(step));
  });
  const end = flow.steps.find((s) => s.id === sla.end.step);
  if (!end) report(['end', 'step'], notAStep(sla.end.step));
  else if (!end.perChannel && (sla.end.perChannel || sla.end.channel !== undefined)) {
    report(['end', sla.end.perChannel ? 'perChannel' : 'channel'], `step ${end.id} of flow ${flow.id} happens once, not per channel`);
  } else if (end.perChannel && !sla.end.perChannel && sla.end.channel === undefined) {
    report(['end'], `step ${end.id} happens once per channel: set perChannel: true, or channel: one of ${flow.channels.join(', ')}`);
  }
  if (end?.perChannel && sla.end.channel !== undefined && !flow.channels.includes(sla.end.channel)) {
    report(['end', 'channel'], `"${sla.end.channel}" is not a channel of flow ${flow.id} (channels: ${flow.channels.join(', ')})`);
  }
  sla.groupBy.forEach((field, i) => {
    const key = field.startsWith('key:') ? field.slice('key:'.length) : undefined;
    if (key !== undefined && !flow.keys.includes(key)) {
      report(['groupBy', i], `"${key}" is not a business key of flow ${flow.id} (keys: ${flow.keys.join(', ') || 'none listed'})`);
    }
  });
}

function checkRules(file: string, owners: OwnersFile, { flowsById, brokenFlows, problems }: Context): void {
  const stepsOf = (flows: readonly Flow[]) => new Set(flows.flatMap((f) => f.steps.map((s) => s.id)));
  const allSteps = stepsOf([...flowsById.values()]);
  owners.rules.forEach((rule, r) => {
    const named = rule.when.flow ?? [];
    for (const flow of named) {
      if (!flowsById.has(flow) && !brokenFlows.has(flow)) {
        problems.add(file, `${file}: ${formatPath(['rules', r, 'when', 'flow'])}: "${flow}" is not a flow of the catalog (flows: ${[...flowsById.keys()].join(', ')})`);
      }
    }
    // With a flow file broken, a step may well be defined there: report the flow file alone.
    if (brokenFlows.size > 0) return;
    const flows = named.flatMap((id) => flowsById.get(id) ?? []);
    const known = named.length > 0 ? stepsOf(flows) : allSteps;
    for (const step of rule.when.step ?? []) {
      if (!known.has(step)) {
        const scope = named.length > 0 ? `flow ${named.join(' or ')}` : 'any flow';
        problems.add(file, `${file}: ${formatPath(['rules', r, 'when', 'step'])}: "${step}" is not a step of ${scope}`);
      }
    }
  });
}

/** Channels and targets a view's panels name must be ones the inventory flows have (`erp` is always a target). */
function checkView(file: string, view: ViewFile, { flowsById, brokenFlows, problems }: Context): void {
  if (brokenFlows.size > 0) return;
  const inventoryFlows = [...flowsById.values()].filter((f) => f.steps.some((s) => s.milestone === 'source'));
  const channels = [...new Set(inventoryFlows.flatMap((f) => f.channels))];
  view.panels.forEach((panel, p) => {
    const report = (option: string, value: string, known: string[]) =>
      problems.add(file, `${file}: ${formatPath(['panels', p, 'options', option])}: "${value}" is not ${known.includes('erp') ? 'erp or ' : ''}a channel of the inventory flow (channels: ${channels.join(', ')})`);
    if (panel.kind === 'worstLag' && panel.options.target !== 'erp' && !channels.includes(panel.options.target)) report('target', panel.options.target, ['erp']);
    if (panel.kind === 'staleStock' && panel.options.channel !== undefined && !channels.includes(panel.options.channel)) report('channel', panel.options.channel, []);
  });
}
