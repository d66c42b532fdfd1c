import { z } from 'zod';
import { parseDuration } from './catalog.js';

/**
 * The field schemas every catalog file is written with (ids, names, durations, lists), and the refinement
 * helpers that report a problem at a field: one definition, so every file's problems read alike.
 */

export const CATALOG_SCHEMA_VERSION = 1;
export const SEVERITIES = ['critical', 'warning', 'info'] as const;

const snake = /^[a-z][a-z0-9_]*$/;
const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const dotted = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const label = /^[a-z][a-z0-9_-]*$/;

export const text = (max: number) =>
  z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const pattern = (re: RegExp, max: number, hint: string) =>
  z.string({ error: hint }).regex(re, hint).max(max, `must be at most ${max} characters`);
export const flowId = pattern(snake, 64, 'must be lower_snake_case, e.g. order_to_cash');
export const stepId = pattern(dotted, 128, 'must be a dotted lower-case name, e.g. erp.inventory.posted');
export const slug = pattern(kebab, 64, 'must be lower-kebab-case, e.g. integration-support');
export const name = pattern(snake, 64, 'must be lower_snake_case, e.g. erp_posted');
export const systemName = pattern(label, 64, 'must be lower-case letters, digits, - and _, e.g. middleware');
export const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'must be a list' });
/** One value or a list of them, always a list once parsed. */
export const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? [v] : v), list(item).min(1, 'must name at least one value'));
export const duration = z.string({ error: 'must be a duration such as 90s, 5m, 2h, 28d' }).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
export const severity = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
export const versionField = z.literal(CATALOG_SCHEMA_VERSION);

export function issue(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

export function flagRepeats(ctx: z.RefinementCtx, values: readonly string[], pathOf: (index: number) => PropertyKey[]): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) issue(ctx, pathOf(i), `"${value}" is listed twice`);
    seen.add(value);
  });
}
