import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ExceptionActionResult, ExceptionAging, ExceptionDetail, ExceptionItem, ExceptionList, ExceptionSort } from '../contracts/exceptionApi.js';
import { exceptionFacets, matchesFilter, sortExceptions, type ExceptionFilter as Conditions } from '../domain/exceptionFilter.js';
import { AGE_BUCKETS, ageBucket, agingSummary, workflowHistory, workflowState, type WorkflowAction } from '../domain/exceptions.js';
import { AppError } from '../errors.js';
import { actionsFor, appendActions, exceptionsBetween, keysOfCorrelations, type ActionRow, type ExceptionRow } from '../store/queries/exceptions.js';
import type { Schema } from '../store/schema.js';
import { sharedResult, type Shared } from './sharedResult.js';

/** Who owns a problem, from the ownership rules in dashboards/owners.yaml. */
export type OwnerOf = (facts: { error_class?: string; flow?: string; system?: string; target_system?: string; channel?: string; step?: string }) => { id: string; name: string };

/** The filters of a list, over the failures of the last `lookbackMs` (and, for an absolute range, first failed in [failedFrom, failedTo)). */
export type ExceptionFilter = Conditions & { lookbackMs: number };
/** First failed in [from, to): an absolute range, read from a lookback reaching `from`. */
export type FailedWindow = { from?: number; to?: number };

/**
 * Exceptions other answers find: expected steps missing past an SLA deadline (with the policy's owner) and
 * settlements that do not reconcile. Each returns rows in the failed-step shape, with its `kind`.
 */
export type ExceptionSources = {
  missingSteps?: (now: number) => Promise<ExceptionRow[]>;
  mismatches?: (now: number) => Promise<ExceptionRow[]>;
  /** A team by id, for rows that name their owner. */
  ownerById?: (id: string) => { id: string; name: string } | undefined;
};
export type ExceptionAction = { action: WorkflowAction; actor: string; assignee?: string; note?: string };

export type ExceptionService = {
  /** New data was loaded (a flush): the next answer reads afresh. */
  invalidate(): void;
  /** New data was loaded: read afresh as soon as it is cheap enough (sharedResult `changed`). */
  changed(): void;
  list(filter: ExceptionFilter, page: { limit: number; offset: number; sort?: ExceptionSort }): Promise<ExceptionList>;
  aging(lookbackMs: number, window?: FailedWindow): Promise<ExceptionAging>;
  get(id: string, lookbackMs: number): Promise<ExceptionDetail>;
  act(ids: readonly string[], action: ExceptionAction, lookbackMs: number): Promise<ExceptionActionResult>;
};

/** How many failing steps one answer reads at most; past it the answer says `truncated`. */
export const MAX_EXCEPTIONS_READ = 50_000;
/** Lookbacks whose exceptions are kept for sharing at once (the screens ask for one or two). */
const MAX_SHARED_LOOKBACKS = 4;

/**
 * Exceptions: failed or dead-lettered steps with no later success, with owner, age, error, business keys and
 * an append-only workflow (assign, acknowledge, comment, resolve, reopen). Read from `step_failures` and
 * `flow_milestones` over a lookback, never all history.
 */
export function createExceptionService(
  client: ClickHouseClient,
  schema: Schema,
  ownerOf: OwnerOf,
  sources: ExceptionSources = {},
  options: { maxAgeMs: number } = { maxAgeMs: 0 },
  clock: () => number = Date.now,
): ExceptionService {
  async function readRows(now: number, lookbackMs: number) {
    const failed = await exceptionsBetween(client, schema, now - lookbackMs, now + 60_000, MAX_EXCEPTIONS_READ + 1);
    const truncated = failed.length > MAX_EXCEPTIONS_READ;
    const rows: ExceptionRow[] = failed.slice(0, MAX_EXCEPTIONS_READ).map((r) => ({ ...r, kind: 'failed_step' }));
    // A correlation with an open failure already has its cause on the list: the steps it left missing add nothing.
    const failing = new Set(rows.filter((r) => r.recovered_at === 0).map((r) => r.correlation_id));
    const missing = (await sources.missingSteps?.(now)) ?? [];
    rows.push(...missing.filter((m) => !failing.has(m.correlation_id) && m.first_failed_at >= now - lookbackMs));
    rows.push(...((await sources.mismatches?.(now)) ?? []).filter((m) => m.first_failed_at >= now - lookbackMs));
    rows.sort((a, b) => a.first_failed_at - b.first_failed_at || a.correlation_id.localeCompare(b.correlation_id) || a.step.localeCompare(b.step));
    return { rows, truncated };
  }

  /** The exceptions with their workflow state, as of `now`. */
  async function read(now: number, lookbackMs: number) {
    const { rows, truncated } = await readRows(now, lookbackMs);
    return { rows, truncated, items: await withWorkflow(now, rows) };
  }

  // The exceptions of each lookback asked for lately, shared by every caller; an action starts afresh.
  const shared = new Map<number, Shared<Awaited<ReturnType<typeof read>>>>();
  async function load(lookbackMs: number) {
    let entry = shared.get(lookbackMs);
    if (!entry) {
      if (shared.size >= MAX_SHARED_LOOKBACKS) shared.delete(shared.keys().next().value!);
      entry = sharedResult((at) => read(at, lookbackMs), options.maxAgeMs, clock);
      shared.set(lookbackMs, entry);
    }
    const { at, value } = await entry.get();
    return { now: at, ...value };
  }
  function invalidate() {
    for (const entry of shared.values()) entry.invalidate();
    shared.clear();
  }

  /** Acting on or opening one exception must find one that failed a moment ago: read afresh when it is not known yet. */
  async function loadWith(ids: readonly string[], lookbackMs: number) {
    const loaded = await load(lookbackMs);
    if (ids.every((id) => loaded.rows.some((r) => r.exception_id === id))) return loaded;
    const now = clock();
    return { now, ...(await readRows(now, lookbackMs)) };
  }

  async function withWorkflow(now: number, rows: readonly ExceptionRow[]): Promise<ExceptionItem[]> {
    const byId = await actionsById(rows.map((r) => r.exception_id));
    return rows.map((r) => toItem(now, r, byId.get(r.exception_id) ?? [], ownerOf, sources.ownerById));
  }

  async function actionsById(ids: readonly string[]): Promise<Map<string, ActionRow[]>> {
    const byId = new Map<string, ActionRow[]>();
    for (const a of await actionsFor(client, schema, ids)) {
      const list = byId.get(a.exception_id) ?? [];
      list.push(a);
      byId.set(a.exception_id, list);
    }
    return byId;
  }

  /** The business keys of the exceptions shown (a page, one detail), read only for those. */
  async function withKeys(now: number, items: readonly ExceptionItem[]): Promise<ExceptionItem[]> {
    if (items.length === 0) return [];
    const since = Math.min(...items.map((e) => e.first_failed_at)) - 86_400_000;
    const keys = await keysOfCorrelations(client, schema, [...new Set(items.map((e) => e.correlation_id))], since, now + 60_000);
    return items.map((e) => ({ ...e, keys: keys.get(e.correlation_id) ?? {} }));
  }

  return {
    async list(filter, page) {
      const { now, items, truncated } = await load(filter.lookbackMs);
      const sort = page.sort ?? 'oldest';
      // Shared items are oldest first already; only another order needs a sorted copy.
      const matching = items.filter((e) => matchesFilter(e, filter));
      const candidates = sort === 'oldest' ? matching : sortExceptions(matching, sort);
      const exceptions = await withKeys(now, candidates.slice(page.offset, page.offset + page.limit));
      return { at: now, lookback_ms: filter.lookbackMs, total: candidates.length, offset: page.offset, sort, exceptions, facets: exceptionFacets(items, filter), truncated };
    },
    async aging(lookbackMs, window = {}) {
      const { now, items } = await load(lookbackMs);
      const open = items.filter((e) => matchesFilter(e, { states: ['open', 'acknowledged'], failedFrom: window.from, failedTo: window.to }));
      const summary = agingSummary(open.map((e) => ({ owner: e.owner.id, flow: e.flow, system: e.system, age_bucket: e.age_bucket as (typeof AGE_BUCKETS)[number]['id'] })));
      const owners = Object.fromEntries(open.map((e) => [e.owner.id, e.owner.name]));
      return { at: now, lookback_ms: lookbackMs, buckets: AGE_BUCKETS.map(({ id, label }) => ({ id, label })), ...summary, owners };
    },
    invalidate,
    changed() {
      for (const entry of shared.values()) entry.changed();
    },
    async get(id, lookbackMs) {
      const { now, rows } = await loadWith([id], lookbackMs);
      const row = rows.find((r) => r.exception_id === id);
      if (!row) throw new AppError(404, 'exception_not_found', `no exception ${id} failed in the last ${Math.round(lookbackMs / 3_600_000)} h: check the id, or widen lookback`);
      const actions = (await actionsById([id])).get(id) ?? [];
      const [item] = await withKeys(now, [toItem(now, row, actions, ownerOf, sources.ownerById)]);
      return { ...item!, history: workflowHistory(actions) };
    },
    async act(ids, action, lookbackMs) {
      // Always read afresh: the state answered after acting must count the latest failure.
      const now = clock();
      const { rows } = await readRows(now, lookbackMs);
      const found = ids.map((id) => rows.find((r) => r.exception_id === id));
      const missing = ids.filter((_, i) => !found[i]);
      if (missing.length > 0) throw new AppError(404, 'exception_not_found', `no exception ${missing.join(', ')} failed in the last ${Math.round(lookbackMs / 3_600_000)} h; nothing was recorded`);
      const records: ActionRow[] = found.map((r) => ({
        action_id: randomUUID(),
        exception_id: r!.exception_id,
        flow: r!.flow,
        correlation_id: r!.correlation_id,
        step: r!.step,
        action: action.action,
        actor: action.actor,
        assignee: action.assignee ?? '',
        note: action.note ?? '',
        at: now,
      }));
      await appendActions(client, schema, records);
      invalidate();
      const after = await withWorkflow(now, found.map((r) => r!));
      return { recorded: records.map((rec, i) => ({ id: rec.exception_id, action_id: rec.action_id, action: rec.action, at: rec.at, state: after[i]!.state })) };
    },
  };
}

function toItem(now: number, r: ExceptionRow, actions: readonly ActionRow[], ownerOf: OwnerOf, ownerById?: (id: string) => { id: string; name: string } | undefined): ExceptionItem {
  const workflow = workflowState(actions, r);
  const age = Math.max(0, (r.recovered_at || now) - r.first_failed_at);
  const owner = r.owner_id ? (ownerById?.(r.owner_id) ?? { id: r.owner_id, name: r.owner_id }) : ownerOf({ error_class: r.error_class || undefined, flow: r.flow, system: r.system, target_system: r.target_system || undefined, channel: r.channel || undefined, step: r.step });
  return {
    id: r.exception_id,
    kind: r.kind ?? 'failed_step',
    flow: r.flow,
    correlation_id: r.correlation_id,
    step: r.step,
    state: workflow.state,
    owner: { id: owner.id, name: owner.name },
    age_ms: age,
    age_bucket: ageBucket(age),
    first_failed_at: r.first_failed_at,
    last_failed_at: r.last_failed_at,
    recovered_at: r.recovered_at || null,
    attempts: r.attempts,
    last_status: r.last_status,
    system: r.system,
    target_system: r.target_system || null,
    channel: r.channel || null,
    error: { code: r.error_code || null, class: r.error_class || null, message: r.error_message || null },
    replay_target: r.replay_target || null,
    keys: {},
    assignee: workflow.assignee,
    acknowledged: workflow.acknowledged,
    resolved: workflow.resolved,
    comments: workflow.comments,
  };
}
