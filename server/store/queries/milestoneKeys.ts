import { join, sql, type Sql } from '../sql.js';

/**
 * Reading `flow_milestones` maps one key at a time. Merging whole maps across a correlation's rows (minMap,
 * maxMap) costs about eight times more than taking the few keys a question needs as plain aggregates
 * (measured on 120k rows: ~450 ms vs ~55 ms), so queries list their keys and aggregate each on its own.
 */

/** When `key` (a step, or `step@channel`) first succeeded across the grouped rows, in epoch ms; 0: never. */
export function firstOkMs(key: string): Sql {
  return sql`toUnixTimestamp64Milli(minIf(first_ok[${key}], mapContains(first_ok, ${key})))`;
}

/** `[firstOkMs(k1), firstOkMs(k2), …]`: an Array(Int64) in the order of `keys`. */
export function firstOkArray(keys: readonly string[]): Sql {
  return keys.length === 0 ? sql`CAST([], 'Array(Int64)')` : sql`[${join(keys.map(firstOkMs), ', ')}]`;
}

/** The system that reported each step, in the order of `steps` ('' where none did). */
export function stepSystemArray(steps: readonly string[]): Sql {
  return steps.length === 0 ? sql`CAST([], 'Array(String)')` : sql`[${join(steps.map((s) => sql`maxIf(step_system[${s}], mapContains(step_system, ${s}))`), ', ')}]`;
}
