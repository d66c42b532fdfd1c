import type { ClickHouseClient } from '@clickhouse/client';
import { formatDuration, type Catalog } from '../catalog/catalog.js';
import type { SlaPolicy } from '../catalog/catalogSchema.js';
import type { BreachOutcome, SlaBreaches, SlaPolicyStatus, SlaSeries, SlaStatus } from '../contracts/slaApi.js';
import { exceptionId } from '../domain/exceptions.js';
import { classify, evaluate, inGroup, parseGroupFilter, seriesBuckets, seriesPoints, type SlaPolicyShape } from '../domain/sla.js';
import { AppError } from '../errors.js';
import { keysOfCorrelations, type ExceptionRow } from '../store/queries/exceptions.js';
import { evaluateSlaPolicy, slaOutcomesByStartBucket, type BrokenInstance, type SlaEvaluationQuery } from '../store/queries/slaEvaluation.js';
import type { Schema } from '../store/schema.js';
import { sharedResult } from './sharedResult.js';

export type BreachQuery = { outcome?: BreachOutcome; group: readonly string[]; limit: number; offset: number };
export type SeriesQuery = { group: readonly string[]; buckets: number };

export type SlaService = {
  /** New data was loaded (a flush): the next answer evaluates afresh. */
  invalidate(): void;
  /** New data was loaded: evaluate afresh as soon as it is cheap enough (sharedResult `changed`). */
  changed(): void;
  status(): Promise<SlaStatus>;
  /** Every instance open past its deadline, as exceptions of kind `missing_step` owned by the policy's team. */
  missingStepExceptions(): Promise<ExceptionRow[]>;
  /** The policy's broken instances (of one group, one outcome), most overdue first, with their business keys. */
  breaches(policyId: string, q: BreachQuery): Promise<SlaBreaches>;
  /** The policy's window in buckets by start time, each bucket's outcomes and attainment (not shared: one policy, on demand). */
  series(policyId: string, q: SeriesQuery): Promise<SlaSeries>;
};

/** Every policy evaluated at one instant, with the instances that broke each. */
type Evaluation = { policies: SlaPolicyStatus[]; broken: Map<string, BrokenInstance[]> };

/**
 * SLA policies from the catalog, evaluated by the engine over their window on `flow_milestones`: per policy and
 * group the instances met, finished late, open past their deadline and in progress, attainment, and the
 * multi-window burn rate; breaches per business key. One evaluation of every policy is shared by all the
 * answers that need it for up to `maxAgeMs` (concurrent requests always share the one in flight).
 */
export function createSlaService(client: ClickHouseClient, schema: Schema, catalog: Catalog, options: { maxAgeMs: number }, clock: () => number = Date.now): SlaService {
  const shape = (p: SlaPolicy): SlaPolicyShape => ({
    id: p.id,
    deadlineMs: p.deadline,
    objective: p.objective,
    windowMs: p.window,
    groupBy: p.end.perChannel && !p.groupBy.includes('channel') ? ['channel', ...p.groupBy] : p.groupBy,
    ...(p.burnRate ? { burnRate: { shortMs: p.burnRate.short, longMs: p.burnRate.long, factor: p.burnRate.factor } } : {}),
  });

  /** What the store is asked for one policy at `now`: its window, its end keys per channel, its burn windows. */
  function queryFor(p: SlaPolicy, policy: SlaPolicyShape, now: number): SlaEvaluationQuery {
    const channels = p.end.perChannel ? [...(catalog.flows.get(p.flow)?.channels ?? [])] : [p.end.channel ?? ''];
    return {
      flow: p.flow,
      startSteps: p.start.steps,
      endKeys: channels.map((c) => (c ? `${p.end.step}@${c}` : p.end.step)),
      channels,
      deadlineMs: p.deadline,
      groupBy: policy.groupBy,
      recentMs: policy.burnRate ? [policy.burnRate.shortMs, policy.burnRate.longMs] : [],
      from: now - p.window,
      now,
    };
  }

  async function evaluateAll(now: number): Promise<Evaluation> {
    const policies: SlaPolicyStatus[] = [];
    const broken = new Map<string, BrokenInstance[]>();
    for (const p of catalog.policies) {
      const policy = shape(p);
      const result = await evaluateSlaPolicy(client, schema, queryFor(p, policy, now));
      policies.push({
        id: p.id,
        name: p.name,
        description: p.description ?? null,
        flow: p.flow,
        severity: p.severity,
        owner: p.owner,
        start_steps: [...p.start.steps],
        end_step: p.end.step,
        per_channel: p.end.perChannel,
        end_channel: p.end.channel ?? null,
        objective: p.objective,
        deadline_ms: p.deadline,
        window_ms: p.window,
        group_by: [...policy.groupBy],
        ...evaluate(policy, result.groups),
      });
      broken.set(p.id, result.broken);
    }
    return { policies, broken };
  }

  function policyOf(policyId: string): SlaPolicy {
    const policy = catalog.policies.find((p) => p.id === policyId);
    if (!policy) throw new AppError(404, 'policy_not_found', `no SLA policy ${policyId}; the policies are ${catalog.policies.map((p) => p.id).join(', ')}`);
    return policy;
  }

  /** The `group=` items of a request as a group of this policy, or 400 naming `group`. */
  function groupOf(p: SlaPolicy, items: readonly string[]): Record<string, string> {
    const parsed = parseGroupFilter(items, shape(p).groupBy);
    if (!parsed.ok) throw new AppError(400, 'invalid_query', `group: ${parsed.message}`, { details: [{ field: 'group', message: parsed.message }] });
    return parsed.group;
  }

  const shared = sharedResult((at) => evaluateAll(at), options.maxAgeMs, clock);
  const evaluation = () => shared.get();

  return {
    invalidate: () => shared.invalidate(),
    changed: () => shared.changed(),
    async status() {
      const { at, value } = await evaluation();
      return { at, policies: value.policies };
    },
    async missingStepExceptions() {
      const { at, value } = await evaluation();
      const { broken } = value;
      const rows = new Map<string, ExceptionRow>();
      for (const p of catalog.policies) {
        const system = catalog.flows.get(p.flow)?.steps.find((st) => st.id === p.end.step)?.systems[0] ?? '';
        for (const b of broken.get(p.id) ?? []) {
          if (b.end_ms > 0) continue;
          const i = { ...b, ...classify(b.start_ms, 0, p.deadline, at) };
          const step = i.channel ? `${p.end.step}@${i.channel}` : p.end.step;
          const overdueAt = i.start_ms + p.deadline;
          const id = exceptionId(p.flow, i.correlation_id, `missing:${step}`);
          // Two policies ending at the same step flag it once, from the earlier deadline.
          if ((rows.get(id)?.first_failed_at ?? Number.POSITIVE_INFINITY) <= overdueAt) continue;
          rows.set(id, {
            exception_id: id,
            kind: 'missing_step',
            owner_id: p.owner,
            flow: p.flow,
            correlation_id: i.correlation_id,
            step: p.end.step,
            first_failed_at: overdueAt,
            last_failed_at: overdueAt,
            attempts: 0,
            last_status: 'missing',
            system,
            target_system: '',
            channel: i.channel ?? '',
            error_code: 'SLA_DEADLINE_MISSED',
            error_class: '',
            error_message: `${step} not seen ${formatDuration(Math.round(i.overdue_by_ms / 1000) * 1000 || 1000)} past the ${formatDuration(p.deadline)} deadline of "${p.name}"`,
            replay_target: '',
            recovered_at: 0,
          });
        }
      }
      return [...rows.values()];
    },
    async breaches(policyId, q) {
      const policy = policyOf(policyId);
      const group = groupOf(policy, q.group);
      const { at: now, value } = await evaluation();
      const inTheGroup = (value.broken.get(policyId) ?? [])
        .filter((b) => inGroup(b.group, group))
        .map((b) => ({ ...b, ...classify(b.start_ms, b.end_ms, policy.deadline, now) }));
      const by_outcome = { late: inTheGroup.filter((i) => i.outcome === 'late').length, open_breached: inTheGroup.filter((i) => i.outcome === 'open_breached').length };
      const broken = inTheGroup
        .filter((i) => (q.outcome ? i.outcome === q.outcome : true))
        .sort((a, b) => b.overdue_by_ms - a.overdue_by_ms || a.correlation_id.localeCompare(b.correlation_id));
      const page = broken.slice(q.offset, q.offset + q.limit);
      const keys = await keysOfCorrelations(client, schema, [...new Set(page.map((i) => i.correlation_id))], now - policy.window - 86_400_000, now + 60_000);
      return {
        at: now,
        policy: policyId,
        deadline_ms: policy.deadline,
        group,
        by_outcome,
        total: broken.length,
        offset: q.offset,
        breaches: page.map((i) => ({
          correlation_id: i.correlation_id,
          channel: i.channel || null,
          outcome: i.outcome as BreachOutcome,
          start_ms: i.start_ms,
          due_ms: i.start_ms + policy.deadline,
          end_ms: i.end_ms || null,
          elapsed_ms: i.elapsed_ms,
          overdue_by_ms: i.overdue_by_ms,
          group: i.group,
          keys: keys.get(i.correlation_id) ?? {},
        })),
      };
    },
    async series(policyId, q) {
      const policy = policyOf(policyId);
      const shaped = shape(policy);
      const group = groupOf(policy, q.group);
      const now = clock();
      const { from, bucketMs, count } = seriesBuckets(policy.window, now, q.buckets);
      const rows = await slaOutcomesByStartBucket(client, schema, {
        ...queryFor(policy, shaped, now),
        recentMs: [],
        seriesFrom: from,
        bucketMs,
        groupFilter: Object.entries(group).map(([dimension, value]) => ({ index: shaped.groupBy.indexOf(dimension), value })),
      });
      return { at: now, policy: policyId, objective: policy.objective, group, from: now - policy.window, to: now, bucket_ms: bucketMs, points: seriesPoints(rows, from, bucketMs, count) };
    },
  };
}
