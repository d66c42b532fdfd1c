import type { ClickHouseClient } from '@clickhouse/client';
import type { SlaBucketCounts, SlaGroupCounts } from '../../domain/sla.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { join, param, sql, type Sql } from '../sql.js';
import { firstOkArray, stepSystemArray } from './milestoneKeys.js';

/**
 * One SLA policy over its window. Instances are correlations whose first start step succeeded in [from, now],
 * one per end key (`step`, or `step@channel` per target channel); `channels` names each end key's channel
 * ('' where the policy has one end for every channel).
 */
export type SlaEvaluationQuery = {
  flow: string;
  startSteps: readonly string[];
  endKeys: readonly string[];
  channels: readonly string[];
  deadlineMs: number;
  /** Canonical dimensions (location_id, sku, channel, region, system, target_system) or `key:<name>`. */
  groupBy: readonly string[];
  /** Burn-rate windows (short, long): instances started within each are counted apart. */
  recentMs: readonly number[];
  from: number;
  now: number;
};

/** An instance that broke its deadline: finished late (`end_ms` > 0) or still open past it (`end_ms` = 0). */
export type BrokenInstance = { correlation_id: string; channel: string; start_ms: number; end_ms: number; group: Record<string, string> };

type GroupRecord = {
  g: string[];
  met: string | number;
  late: string | number;
  open_breached: string | number;
  in_progress: string | number;
  decided: (string | number)[];
  bad: (string | number)[];
  broken: [string, string, string | number, string | number][];
};

/** Business keys of the window's correlations, from their events (only when a policy groups by a key). */
function keyColumns(schema: Schema, q: SlaEvaluationQuery, names: readonly string[]): Sql {
  if (names.length === 0) return sql``;
  return sql`LEFT JOIN (
      SELECT correlation_id, [${join(names.map((n) => sql`max(keys[${n}])`), ', ')}] AS key_values
      FROM ${schema.table('events')}
      WHERE flow = ${q.flow} AND occurred_at >= ${param.dateTime64(q.from - 86_400_000)} AND occurred_at <= ${param.dateTime64(q.now + 60_000)}
      GROUP BY correlation_id
    ) AS k USING (correlation_id)`;
}

function groupExpression(dimension: string, keyNames: readonly string[]): Sql {
  if (dimension.startsWith('key:')) return sql`key_values[${param.uint32(keyNames.indexOf(dimension.slice(4)) + 1)}]`;
  switch (dimension) {
    case 'channel':
      return sql`if(end_channel != '', end_channel, channel)`;
    case 'location_id':
      return sql`location_id`;
    case 'sku':
      return sql`sku`;
    case 'region':
      return sql`region`;
    case 'system':
      return sql`system`;
    default:
      // Milestones do not record a target system: the group is the same for every instance.
      return sql`''`;
  }
}

/** Every instance of the policy in its window with its outcome (domain/sla.ts `classify`) and group (`g`). */
function instancesWithOutcome(schema: Schema, q: SlaEvaluationQuery): Sql {
  const keyNames = [...new Set(q.groupBy.filter((g) => g.startsWith('key:')).map((g) => g.slice(4)))];
  const groupColumns = q.groupBy.length === 0 ? sql`CAST([], 'Array(String)')` : sql`[${join(q.groupBy.map((g) => groupExpression(g, keyNames)), ', ')}]`;
  const deadline = param.int64(q.deadlineMs);
  const now = param.int64(q.now);
  return sql`(
          SELECT *, multiIf(end_ms > 0, if(end_ms - start_ms <= ${deadline}, 'met', 'late'), ${now} - start_ms > ${deadline}, 'open_breached', 'in_progress') AS outcome,
                 ${groupColumns} AS g
          FROM (
            SELECT correlation_id, location_id, sku, channel, region, systems[indexOf(starts, start_ms)] AS system, start_ms, end_ms, end_channel
            FROM (
              SELECT correlation_id, max(location_id) AS location_id, max(sku) AS sku, max(channel) AS channel, max(region) AS region,
                     ${firstOkArray(q.startSteps)} AS starts, ${stepSystemArray(q.startSteps)} AS systems, ${firstOkArray(q.endKeys)} AS ends,
                     arrayMin(arrayFilter(t -> t > 0, starts)) AS start_ms
              FROM ${schema.table('flowMilestones')}
              WHERE flow = ${q.flow} AND hour >= toStartOfHour(${param.dateTime64(q.from)}) AND hour < ${param.dateTime64(q.now + 3_600_000)}
              GROUP BY correlation_id
              HAVING start_ms >= ${param.int64(q.from)} AND start_ms <= ${now}
            )
            ARRAY JOIN ends AS end_ms, ${param.arrayString(q.channels)} AS end_channel
          ) AS i ${keyColumns(schema, q, keyNames)}
        )`;
}

/**
 * The policy evaluated by the engine over `flow_milestones` (the hours from `from` to an hour past `now`):
 * per group, the instances met, finished late, open past the deadline and in progress, the decided and broken
 * ones started within each burn window, and every broken instance. Only these figures leave the engine, never
 * one row per instance. Outcomes follow domain/sla.ts `classify`: met when it ended within the deadline.
 */
export async function evaluateSlaPolicy(client: ClickHouseClient, schema: Schema, q: SlaEvaluationQuery): Promise<{ groups: SlaGroupCounts[]; broken: BrokenInstance[] }> {
  const rows = await queryRows<GroupRecord>(
    client,
    sql`SELECT g,
               countIf(outcome = 'met') AS met, countIf(outcome = 'late') AS late,
               countIf(outcome = 'open_breached') AS open_breached, countIf(outcome = 'in_progress') AS in_progress,
               [${join(q.recentMs.map((w) => sql`countIf(outcome != 'in_progress' AND start_ms >= ${param.int64(q.now - w)})`), ', ')}] AS decided,
               [${join(q.recentMs.map((w) => sql`countIf(outcome IN ('late', 'open_breached') AND start_ms >= ${param.int64(q.now - w)})`), ', ')}] AS bad,
               groupArrayIf((correlation_id, end_channel, start_ms, end_ms), outcome IN ('late', 'open_breached')) AS broken
        FROM ${instancesWithOutcome(schema, q)}
        GROUP BY g`,
  );
  const groups: SlaGroupCounts[] = [];
  const broken: BrokenInstance[] = [];
  for (const r of rows) {
    const group = Object.fromEntries(q.groupBy.map((name, i) => [name, r.g[i] ?? '']));
    groups.push({
      group,
      met: Number(r.met),
      late: Number(r.late),
      open_breached: Number(r.open_breached),
      in_progress: Number(r.in_progress),
      recent: r.decided.map((d, i) => ({ decided: Number(d), bad: Number(r.bad[i] ?? 0) })),
    });
    for (const [correlation_id, channel, start, end] of r.broken) broken.push({ correlation_id, channel, start_ms: Number(start), end_ms: Number(end), group });
  }
  return { groups, broken };
}

/**
 * The policy's instances counted per bucket of start time (`bucket` = ⌊(start − seriesFrom) ÷ bucketMs⌋), by
 * outcome, optionally only the instances whose group has these values (`index` into `groupBy`, from 0): the
 * attainment over the window as a series.
 * Reads what the evaluation reads; one row per bucket leaves the engine.
 */
export async function slaOutcomesByStartBucket(
  client: ClickHouseClient,
  schema: Schema,
  q: SlaEvaluationQuery & { seriesFrom: number; bucketMs: number; groupFilter: readonly { index: number; value: string }[] },
): Promise<SlaBucketCounts[]> {
  const rows = await queryRows<{ bucket: string | number; met: string | number; late: string | number; open_breached: string | number; in_progress: string | number }>(
    client,
    sql`SELECT intDiv(start_ms - ${param.int64(q.seriesFrom)}, ${param.int64(q.bucketMs)}) AS bucket,
               countIf(outcome = 'met') AS met, countIf(outcome = 'late') AS late,
               countIf(outcome = 'open_breached') AS open_breached, countIf(outcome = 'in_progress') AS in_progress
        FROM ${instancesWithOutcome(schema, q)}
        ${q.groupFilter.length === 0 ? sql`` : sql`WHERE ${join(q.groupFilter.map((f) => sql`g[${param.uint32(f.index + 1)}] = ${param.string(f.value)}`), ' AND ')}`}
        GROUP BY bucket
        ORDER BY bucket`,
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), met: Number(r.met), late: Number(r.late), open_breached: Number(r.open_breached), in_progress: Number(r.in_progress) }));
}
