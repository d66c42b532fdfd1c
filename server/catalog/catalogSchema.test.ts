import { describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION, formatPath, migrateDocument, validateDocument, type Migration } from './catalogSchema.js';

const FLOW = {
  schemaVersion: 1,
  id: 'inventory_sync',
  name: 'Inventory sync',
  description: 'Stock to the ERP and the channels.',
  channels: ['shopify', 'amazon'],
  steps: [
    { id: 'pos.sale.captured', system: 'pos', milestone: 'source' },
    { id: 'erp.inventory.posted', system: 'erp', milestone: 'erp_posted' },
    { id: 'channel.published', system: 'middleware', milestone: 'published', perChannel: true },
  ],
};

const SLA = {
  schemaVersion: 1,
  id: 'inventory-published',
  name: 'Stock visible within 90 s',
  flow: 'inventory_sync',
  start: { steps: ['pos.sale.captured'] },
  end: { step: 'channel.published', perChannel: true },
  deadline: '90s',
  objective: 0.99,
  window: '1h',
  groupBy: ['channel'],
  severity: 'critical',
  owner: 'ecommerce-ops',
  burnRate: { short: '5m', long: '1h', factor: 14.4 },
};

const OWNERS = {
  schemaVersion: 1,
  default: 'integration-support',
  teams: [
    { id: 'integration-support', name: 'Integration support' },
    { id: 'finance', name: 'Finance' },
  ],
  rules: [{ name: 'money', when: { error_class: 'business', flow: ['return_to_refund'] }, owner: 'finance' }],
};

function problemsOf(kind: 'flow' | 'sla' | 'owners', doc: unknown): string[] {
  const result = validateDocument(kind, doc);
  return result.ok ? [] : result.problems;
}

describe('validateDocument', () => {
  it('reads a flow, filling in what may be left out', () => {
    const result = validateDocument('flow', FLOW);

    expect(result.ok && result.value.steps[0]).toEqual({ id: 'pos.sale.captured', systems: ['pos'], milestone: 'source', perChannel: false, occurrences: 1 });
    expect(result.ok && result.value.keys).toEqual([]);
    expect(result.ok && result.value.variants).toEqual([]);
  });

  it('reads durations of an SLA policy as milliseconds', () => {
    const result = validateDocument('sla', SLA);

    expect(result.ok && [result.value.deadline, result.value.window, result.value.burnRate]).toEqual([90_000, 3_600_000, { short: 300_000, long: 3_600_000, factor: 14.4 }]);
  });

  it('reads one value or a list of them in a rule, always as a list', () => {
    const result = validateDocument('owners', OWNERS);

    expect(result.ok && result.value.rules[0]!.when).toEqual({ error_class: ['business'], flow: ['return_to_refund'] });
  });

  it('names every field that is wrong in one go', () => {
    const problems = problemsOf('sla', { ...SLA, id: 'Inventory Published', deadline: '90 s', objective: 99, severity: 'page', owner: undefined, end: { step: 'channel.published', perChanel: true } });

    expect(problems).toEqual([
      'id: must be lower-kebab-case, e.g. integration-support',
      'end.perChanel: unknown field',
      'deadline: "90 s" is not a duration: write a whole number above 0 and a unit (ms, s, m, h, d), e.g. 90s, 5m, 2h, 28d',
      'objective: must be a fraction between 0 and 1, e.g. 0.99',
      'severity: must be one of critical, warning, info',
      'owner: is required',
    ]);
  });

  it('checks how the fields of a well-formed SLA policy relate', () => {
    const problems = problemsOf('sla', {
      ...SLA,
      start: { steps: ['pos.sale.captured', 'pos.sale.captured'] },
      end: { step: 'pos.sale.captured', perChannel: true, channel: 'amazon' },
      deadline: '2h',
      groupBy: ['channel', 'store', 'key:order_id', 'channel'],
      burnRate: { short: '3h', long: '2h', factor: 14.4 },
    });

    expect(problems).toEqual([
      'start.steps[1]: "pos.sale.captured" is listed twice',
      'groupBy[3]: "channel" is listed twice',
      'groupBy[1]: "store" cannot group a policy: use channel, region, location_id, sku, system, target_system or key:<name>',
      'end.step: "pos.sale.captured" is also a start step',
      'end: set perChannel or channel, not both',
      'deadline: 2h must be shorter than the window (1h)',
      'burnRate.short: 3h must be shorter than burnRate.long (2h)',
      'burnRate.long: 2h must not be longer than the window (1h)',
    ]);
  });

  it('checks the steps, channels and variants of a flow', () => {
    const problems = problemsOf('flow', {
      ...FLOW,
      channels: [],
      steps: [...FLOW.steps, { id: 'erp.inventory.posted', system: ['erp', 'middleware'] }],
      variants: [{ id: 'store_sale', name: 'Store sale', steps: ['pos.sale.captured', 'erp.inventory.postd'] }],
    });

    expect(problems).toEqual([
      'steps[3].id: "erp.inventory.posted" is listed twice',
      'steps[2].perChannel: a step per channel needs the flow to list its channels',
      'variants[0].steps[1]: "erp.inventory.postd" is not a step of this flow',
      'variants: step "erp.inventory.posted" is on no variant: add it to one, or remove the step',
      'variants: step "channel.published" is on no variant: add it to one, or remove the step',
    ]);
  });

  it('names a bad single value by its field, not as the first item of a list', () => {
    const problems = problemsOf('flow', { ...FLOW, steps: [{ id: 'pos.sale.captured', system: 'POS', occurrences: 0 }, { id: 'x' }] });

    expect(problems).toEqual([
      'steps[0].system: must be lower-case letters, digits, - and _, e.g. middleware',
      'steps[0].occurrences: must be a whole number from 1 to 100, or many',
      'steps[1].system: is required',
    ]);
  });

  it('checks that the teams an owners file names exist and that rules say when they apply', () => {
    const problems = problemsOf('owners', {
      ...OWNERS,
      default: 'support',
      teams: [...OWNERS.teams, { id: 'finance', name: 'Finance again' }],
      rules: [...OWNERS.rules, { name: 'all', when: {}, owner: 'fnance' }],
    });

    expect(problems).toEqual([
      'teams[2].id: "finance" is listed twice',
      'default: "support" is not a team (teams: integration-support, finance)',
      'rules[1].owner: "fnance" is not a team (teams: integration-support, finance)',
      'rules[1].when: must name at least one of error_class, flow, system, target_system, channel, step (the default team takes the rest)',
    ]);
  });
});

describe('migrateDocument', () => {
  it('leaves a current document as it is', () => {
    expect(migrateDocument('flow', FLOW)).toEqual({ ok: true, doc: FLOW });
    expect(CATALOG_SCHEMA_VERSION).toBe(1);
  });

  it('upgrades an older document step by step, with the migrations of its kind only', () => {
    const migrations: Migration[] = [
      { kind: 'sla', from: 1, up: ({ target, ...doc }) => ({ ...doc, deadline: target }) },
      { kind: 'flow', from: 1, up: (doc) => ({ ...doc, touched: true }) },
      { kind: 'sla', from: 2, up: ({ deadline, ...doc }) => ({ ...doc, end: { ...(doc.end as object), deadline } }) },
    ];

    const result = migrateDocument('sla', { schemaVersion: 1, id: 'x', target: '90s', end: { step: 'a.b' } }, migrations, 3);

    expect(result).toEqual({ ok: true, doc: { schemaVersion: 3, id: 'x', end: { step: 'a.b', deadline: '90s' } } });
  });

  it('only raises the version of a kind no migration changes', () => {
    const migrations: Migration[] = [{ kind: 'sla', from: 1, up: (doc) => ({ ...doc, changed: true }) }];

    expect(migrateDocument('owners', { schemaVersion: 1, default: 'x' }, migrations, 2)).toEqual({ ok: true, doc: { schemaVersion: 2, default: 'x' } });
  });

  it('refuses a version newer than it reads, a missing or malformed version and a file that is not a mapping', () => {
    expect(migrateDocument('flow', { ...FLOW, schemaVersion: 2 })).toEqual({ ok: false, problem: 'schemaVersion: 2 is newer than this Flowlens reads (1); upgrade Flowlens' });
    expect(migrateDocument('flow', { id: 'x' })).toEqual({ ok: false, problem: 'schemaVersion: is required (the current version is 1)' });
    expect(migrateDocument('flow', { schemaVersion: '1' })).toEqual({ ok: false, problem: 'schemaVersion: must be a whole number from 1 to 1' });
    expect(migrateDocument('flow', [FLOW])).toEqual({ ok: false, problem: 'must be a mapping of fields (schemaVersion: 1, id: …)' });
    expect(migrateDocument('flow', null)).toEqual({ ok: false, problem: 'the file is empty' });
  });
});

describe('formatPath', () => {
  it('writes fields with dots and list positions in brackets', () => {
    expect(formatPath(['end', 'step'])).toBe('end.step');
    expect(formatPath(['steps', 2, 'id'])).toBe('steps[2].id');
    expect(formatPath(['groupBy', 0])).toBe('groupBy[0]');
  });
});
