import type { Schema } from '../schema.js';
import type { Sql } from '../sql.js';

/**
 * A numbered migration. Statements must be idempotent (IF NOT EXISTS) so a run cut short can be repeated;
 * the runner records a version only after all its statements succeeded.
 */
export type Migration = {
  version: number;
  name: string;
  statements: (schema: Schema) => Sql[];
};
