import type { ClickHouseClient } from '@clickhouse/client';
import { formatDuration, type Catalog } from '../catalog/catalog.js';
import type { SlaPolicy } from '../catalog/catalogSchema.js';
import { exceptionId } from '../domain/exceptions.js';
import { evaluate, instancesOf, type SlaInstance, type SlaInstanceInput, type SlaPolicyShape } from '../domain/sla.js';
import { AppError } from '../errors.js';
import { keysOfCorrelations, type ExceptionRow } from '../store/queries/exceptions.js';
import { slaInstances } from '../store/queries/slaInstances.js';
import type { Schema } from '../store/schema.js';

export type PolicyStatus = ReturnType<typeof evaluate> & {
  id: string;
  name: string;
  flow: string;
  severity: string;
  owner: string;
  objective: number;
  deadline_ms: number;
  window_ms: number;
  group_by: readonly string[];
};
export type SlaBreach = Pick<SlaInstance, 'correlation_id' | 'start_ms' | 'elapsed_ms' | 'overdue_by_ms' | 'group'> & { outcome: 'late' | 'open_breached'; channel: string | null; end_ms: number | null; keys: Record<string, string> };

export type SlaService = {
  status(): Promise<{ at: number; policies: PolicyStatus[] }>;
  /** Every instance open past its deadline, as exceptions of kind `missing_step` owned by the policy's team. */
  missingStepExceptions(now: number): Promise<ExceptionRow[]>;
  breaches(policyId: string, q: { outcome?: 'late' | 'open_breached'; limit: number; offset: number }): Promise<{ at: number; policy: string; total: number; offset: number; breaches: SlaBreach[] }>;
};

/**
 * SLA policies from the catalog, evaluated over their window on `flow_milestones`: per policy and group the
 * instances met, finished late, open past their deadline and in progress, attainment, and the multi-window
 * burn rate; breaches per business key.
 */
export function createSlaService(client: ClickHouseClient, schema: Schema, catalog: Catalog, clock: () => number = Date.now): SlaService {
  const shape = (p: SlaPolicy): SlaPolicyShape => ({
    id: p.id,
    deadlineMs: p.deadline,
    objective: p.objective,
    windowMs: p.window,
    groupBy: p.end.perChannel && !p.groupBy.includes('channel') ? ['channel', ...p.groupBy] : p.groupBy,
    ...(p.burnRate ? { burnRate: { shortMs: p.burnRate.short, longMs: p.burnRate.long, factor: p.burnRate.factor } } : {}),
  });

  async function instances(p: SlaPolicy, now: number): Promise<SlaInstance[]> {
    const channels = p.end.perChannel ? [...(catalog.flows.get(p.flow)?.channels ?? [])] : [p.end.channel ?? ''];
    const endKeys = channels.map((c) => (c ? `${p.end.step}@${c}` : p.end.step));
    const from = now - p.window;
    const rows = await slaInstances(client, schema, { flow: p.flow, startSteps: p.start.steps, endKeys, from, to: now + 1, scanTo: now + 3_600_000 });
    const keyGroups = p.groupBy.filter((g) => g.startsWith('key:'));
    const keys = keyGroups.length > 0 ? await keysOfCorrelations(client, schema, rows.map((r) => r.correlation_id), from - 86_400_000, now + 60_000) : new Map<string, Record<string, string>>();
    const inputs: SlaInstanceInput[] = rows.flatMap((r) =>
      channels.map((channel, i) => {
        const dims: Record<string, string> = { location_id: r.location_id, sku: r.sku, channel: channel || r.channel, region: r.region, system: r.system };
        for (const g of keyGroups) dims[g] = keys.get(r.correlation_id)?.[g.slice(4)] ?? '';
        return { correlation_id: r.correlation_id, ...(channel ? { channel } : {}), start_ms: r.start_ms, end_ms: r.ends[i] ?? 0, dims };
      }),
    );
    return instancesOf(shape(p), inputs, now);
  }

  return {
    async status() {
      const now = clock();
      const policies: PolicyStatus[] = [];
      for (const p of catalog.policies) {
        const evaluation = evaluate(shape(p), await instances(p, now), now);
        policies.push({ id: p.id, name: p.name, flow: p.flow, severity: p.severity, owner: p.owner, objective: p.objective, deadline_ms: p.deadline, window_ms: p.window, group_by: shape(p).groupBy, ...evaluation });
      }
      return { at: now, policies };
    },
    async missingStepExceptions(now) {
      const rows = new Map<string, ExceptionRow>();
      for (const p of catalog.policies) {
        const system = catalog.flows.get(p.flow)?.steps.find((st) => st.id === p.end.step)?.systems[0] ?? '';
        for (const i of await instances(p, now)) {
          if (i.outcome !== 'open_breached') continue;
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
      const policy = catalog.policies.find((p) => p.id === policyId);
      if (!policy) throw new AppError(404, 'policy_not_found', `no SLA policy ${policyId}; the policies are ${catalog.policies.map((p) => p.id).join(', ')}`);
      const now = clock();
      const broken = (await instances(policy, now))
        .filter((i) => (q.outcome ? i.outcome === q.outcome : i.outcome === 'late' || i.outcome === 'open_breached'))
        .sort((a, b) => b.overdue_by_ms - a.overdue_by_ms || a.correlation_id.localeCompare(b.correlation_id));
      const page = broken.slice(q.offset, q.offset + q.limit);
      const keys = await keysOfCorrelations(client, schema, [...new Set(page.map((i) => i.correlation_id))], now - policy.window - 86_400_000, now + 60_000);
      return {
        at: now,
        policy: policyId,
        total: broken.length,
        offset: q.offset,
        breaches: page.map((i) => ({
          correlation_id: i.correlation_id,
          channel: i.channel ?? null,
          outcome: i.outcome as 'late' | 'open_breached',
          start_ms: i.start_ms,
          end_ms: i.end_ms || null,
          elapsed_ms: i.elapsed_ms,
          overdue_by_ms: i.overdue_by_ms,
          group: i.group,
          keys: keys.get(i.correlation_id) ?? {},
        })),
      };
    },
  };
}
