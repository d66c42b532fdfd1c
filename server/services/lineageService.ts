import type { ClickHouseClient } from '@clickhouse/client';
import type { LineageResponse, StoredEvent } from '../contracts/api.js';
import { addHits, correlationSummaries, nextKeyValues, spanOf, startWalk, timeline, widenSpans } from '../domain/lineage.js';
import { fromEventRow } from '../store/eventRows.js';
import { correlationSpans, correlationsForKeyValues, eventsForCorrelations } from '../store/queries/lineage.js';
import type { Schema } from '../store/schema.js';
import { AppError } from '../errors.js';

export const LINEAGE_LIMITS = { defaultDepth: 3, maxDepth: 6, maxCorrelations: 100, maxEvents: 5_000 } as const;

/** Every event of the correlations linked to `key` (a business key value or a correlation id), in time order. */
export async function lineageForKey(client: ClickHouseClient, schema: Schema, key: string, depth: number): Promise<LineageResponse> {
  const walk = startWalk(key);
  const events: StoredEvent[] = [];
  let frontier = [key];
  for (let hop = 0; hop <= depth && frontier.length > 0; hop++) {
    const hits = await correlationsForKeyValues(client, schema, frontier, LINEAGE_LIMITS.maxCorrelations * 4);
    if (hop === 0 && hits.length === 0) {
      throw new AppError(404, 'key_not_found', `no events found for key "${key}": check the value, or retry in a few seconds if it was just sent`);
    }
    const fresh = addHits(walk, hits, hop, LINEAGE_LIMITS.maxCorrelations);
    if (fresh.length === 0) break;
    widenSpans(walk, await correlationSpans(client, schema, fresh));
    const { from, to } = spanOf(walk, fresh);
    const remaining = LINEAGE_LIMITS.maxEvents - events.length;
    const rows = await eventsForCorrelations(client, schema, fresh, from, to, remaining);
    const found = rows.map(fromEventRow);
    if (rows.length >= remaining) walk.truncated = true;
    events.push(...found);
    if (walk.truncated) break;
    frontier = hop < depth ? nextKeyValues(walk, found) : [];
  }
  const ordered = timeline(events);
  return { key, depth, correlations: correlationSummaries(walk, ordered), events: ordered, truncated: walk.truncated };
}
