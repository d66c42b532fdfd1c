import type { LinkedKey, StoredEvent } from '../contracts/api.js';
import type { LineageCorrelation } from '../contracts/lineageApi.js';

/**
 * Lineage walk, as pure steps: key values → correlations (from the key lookup), correlations → events,
 * events → the further key values they carry. The service alternates these with store reads, hop by hop,
 * until no new correlation appears, the depth is reached, or the correlation cap stops it.
 */

export type KeyHit = { keyValue: string; keyName: string; correlationId: string; flow: string; firstAt: number; lastAt: number };

type CorrelationNode = { flows: Set<string>; linkedBy: LinkedKey[]; depth: number; firstAt: number; lastAt: number };

export type LineageWalk = {
  visitedValues: Set<string>;
  correlations: Map<string, CorrelationNode>;
  truncated: boolean;
};

export function startWalk(key: string): LineageWalk {
  return { visitedValues: new Set([key]), correlations: new Map(), truncated: false };
}

/** Record the correlations a hop found; returns the ids seen for the first time (at most `cap` in all). */
export function addHits(walk: LineageWalk, hits: readonly KeyHit[], depth: number, cap: number): string[] {
  const fresh: string[] = [];
  for (const hit of hits) {
    let node = walk.correlations.get(hit.correlationId);
    if (!node) {
      if (walk.correlations.size >= cap) {
        walk.truncated = true;
        continue;
      }
      node = { flows: new Set(), linkedBy: [], depth, firstAt: hit.firstAt, lastAt: hit.lastAt };
      walk.correlations.set(hit.correlationId, node);
      fresh.push(hit.correlationId);
    }
    node.flows.add(hit.flow);
    node.firstAt = Math.min(node.firstAt, hit.firstAt);
    node.lastAt = Math.max(node.lastAt, hit.lastAt);
    if (node.depth === depth && !node.linkedBy.some((k) => k.name === hit.keyName && k.value === hit.keyValue)) {
      node.linkedBy.push({ name: hit.keyName, value: hit.keyValue });
    }
  }
  return fresh;
}

/** Widen each correlation's span to its full extent (a key hit only spans the events carrying that key). */
export function widenSpans(walk: LineageWalk, spans: ReadonlyMap<string, { firstAt: number; lastAt: number }>): void {
  for (const [id, span] of spans) {
    const node = walk.correlations.get(id);
    if (!node) continue;
    node.firstAt = Math.min(node.firstAt, span.firstAt);
    node.lastAt = Math.max(node.lastAt, span.lastAt);
  }
}

/** The time span covering these correlations, to bound the event read. */
export function spanOf(walk: LineageWalk, ids: readonly string[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const id of ids) {
    const node = walk.correlations.get(id);
    if (!node) continue;
    from = Math.min(from, node.firstAt);
    to = Math.max(to, node.lastAt);
  }
  return { from, to };
}

/** Key values carried by these events that the walk has not followed yet; marks them followed. */
export function nextKeyValues(walk: LineageWalk, events: readonly StoredEvent[]): string[] {
  const next: string[] = [];
  for (const event of events) {
    for (const value of Object.values(event.keys)) {
      if (walk.visitedValues.has(value)) continue;
      walk.visitedValues.add(value);
      next.push(value);
    }
  }
  return next;
}

/** Correlations in walk order (nearest first, then by time) with their event counts. */
export function correlationSummaries(walk: LineageWalk, events: readonly StoredEvent[]): LineageCorrelation[] {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.correlation_id, (counts.get(e.correlation_id) ?? 0) + 1);
  return [...walk.correlations.entries()]
    .map(([id, node]) => ({
      correlation_id: id,
      flows: [...node.flows].sort(),
      linked_by: node.linkedBy,
      depth: node.depth,
      first_at: new Date(node.firstAt).toISOString(),
      last_at: new Date(node.lastAt).toISOString(),
      event_count: counts.get(id) ?? 0,
    }))
    .sort((a, b) => a.depth - b.depth || a.first_at.localeCompare(b.first_at) || a.correlation_id.localeCompare(b.correlation_id));
}

/** All events of the walk, each once, in time order (ties by event id, so answers are stable). */
export function timeline(events: readonly StoredEvent[]): StoredEvent[] {
  const byId = new Map<string, StoredEvent>();
  for (const e of events) if (!byId.has(e.event_id)) byId.set(e.event_id, e);
  return [...byId.values()].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.event_id.localeCompare(b.event_id));
}
