import type { ClickHouseClient } from '@clickhouse/client';
import type { StoredEvent } from '../contracts/api.js';
import type { LineageResponse } from '../contracts/lineageApi.js';
import { addHits, correlationSummaries, type KeyHit, nextKeyValues, startWalk, timeline, widenSpans } from '../domain/lineage.js';
import { evidenceFile, type EvidenceFile, type EvidenceFormat } from '../domain/lineageEvidence.js';
import { buildLineageGraph, type LineageCatalog } from '../domain/lineageGraph.js';
import { fromEventRow } from '../store/eventRows.js';
import { correlationsForKeyValues, eventsOfCorrelations, spansOfCorrelations } from '../store/queries/lineage.js';
import { SKU_LOCATION_KEY } from '../store/migrations/0013_sku_location_key.js';
import type { Schema } from '../store/schema.js';
import { AppError } from '../errors.js';

/**
 * How far a walk goes. A SKU at a location names every sale, receipt and transfer that ever moved it: its search
 * shows the latest `stockMovements` of them (and what they link to), not the first hundred of its history.
 */
export const LINEAGE_LIMITS = { defaultDepth: 3, maxDepth: 6, maxCorrelations: 100, maxEvents: 5_000, stockMovements: 20 } as const;

export type LineageService = {
  /** Every event of the correlations linked to `key` (a business key value or a correlation id), with the graph. */
  lineage(key: string, depth: number): Promise<LineageResponse>;
  /** The same answer as an evidence file for an auditor. */
  exportLineage(key: string, depth: number, format: EvidenceFormat): Promise<EvidenceFile>;
};

/**
 * Lineage: the walk from a key through the keys its events carry, the graph of what happened per correlation,
 * and what the flow catalog still expects, with ages and SLA deadlines as of `clock()`.
 */
export function createLineageService(client: ClickHouseClient, schema: Schema, catalog: LineageCatalog, clock: () => number = Date.now): LineageService {
  async function lineage(key: string, depth: number): Promise<LineageResponse> {
    const { correlations, events, truncated, latest_only, partial } = await walk(client, schema, key, depth);
    const now = clock();
    const { graph, missing } = buildLineageGraph({ correlations, events, catalog, now, partial });
    return { key, depth, at: new Date(now).toISOString(), correlations, events, truncated, latest_only, graph, missing };
  }
  return {
    lineage,
    async exportLineage(key, depth, format) {
      const answer = await lineage(key, depth);
      return evidenceFile(answer, format, Date.parse(answer.at));
    },
  };
}

/** The walk's answer; `partial`: the correlations of the hop whose event read hit the cap. */
type Walked = Pick<LineageResponse, 'correlations' | 'events' | 'truncated' | 'latest_only'> & { partial: Set<string> };

/**
 * Hop by hop: key values → correlations (the key lookup) → their events and whole time spans (`lineage_events`,
 * by correlation id) → the further key values those events carry, within the limits. Two engine reads a hop
 * (a third only when the event cap cuts a correlation off before any of its events).
 */
async function walk(client: ClickHouseClient, schema: Schema, key: string, depth: number): Promise<Walked> {
  const state = startWalk(key);
  const events: StoredEvent[] = [];
  const partial = new Set<string>();
  let latestOnly = false;
  let frontier = [key];
  for (let hop = 0; hop <= depth && frontier.length > 0; hop++) {
    // The searched key: its latest transactions when it names more than a walk shows; a hop: the first ones.
    const hits = await correlationsForKeyValues(client, schema, frontier, LINEAGE_LIMITS.maxCorrelations * 4, { order: hop === 0 ? 'latest' : 'first' });
    if (hop === 0 && hits.length === 0) {
      throw new AppError(404, 'key_not_found', `no events found for key "${key}": check the value, or retry in a few seconds if it was just sent`);
    }
    const stock = hop === 0 && hits.some((h) => h.keyName === SKU_LOCATION_KEY) ? latestCorrelations(hits, LINEAGE_LIMITS.stockMovements) : undefined;
    if (stock?.cut) latestOnly = true;
    const fresh = addHits(state, stock?.hits ?? hits, hop, LINEAGE_LIMITS.maxCorrelations);
    if (fresh.length === 0) break;
    const remaining = LINEAGE_LIMITS.maxEvents - events.length;
    const { events: rows, spans } = await eventsOfCorrelations(client, schema, fresh, remaining);
    const cutOff = fresh.filter((id) => !spans.has(id));
    for (const [id, span] of await spansOfCorrelations(client, schema, cutOff)) spans.set(id, span);
    widenSpans(state, spans);
    const found = rows.map(fromEventRow);
    events.push(...found);
    if (rows.length >= remaining) {
      state.truncated = true;
      // Rows come in time order across the hop's correlations, so the cut may fall inside any of them.
      for (const id of fresh) partial.add(id);
    }
    if (state.truncated) break;
    frontier = hop < depth ? nextKeyValues(state, found) : [];
  }
  const ordered = timeline(events);
  return { correlations: correlationSummaries(state, ordered), events: ordered, truncated: state.truncated, latest_only: latestOnly, partial };
}

/** The hits of the `count` correlations seen last (hits come latest first), and whether any were left out. */
function latestCorrelations(hits: readonly KeyHit[], count: number): { hits: KeyHit[]; cut: boolean } {
  const kept = new Set<string>();
  const out: KeyHit[] = [];
  for (const hit of hits) {
    if (!kept.has(hit.correlationId)) {
      if (kept.size === count) return { hits: out, cut: true };
      kept.add(hit.correlationId);
    }
    out.push(hit);
  }
  return { hits: out, cut: false };
}
