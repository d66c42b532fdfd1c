/**
 * The fault suite's one rule for durability, as a pure function: every acknowledged event id is stored, and
 * nothing is stored twice. `stored` lists one entry per stored row (duplicates included), so a double write shows.
 */
export type LedgerCheck = { acknowledged: number; stored: number; distinct: number; missing: string[]; duplicated: string[] };

export function checkLedger(acknowledged: Iterable<string>, stored: readonly string[]): LedgerCheck {
  const seen = new Map<string, number>();
  for (const id of stored) seen.set(id, (seen.get(id) ?? 0) + 1);
  const acked = new Set(acknowledged);
  const missing = [...acked].filter((id) => !seen.has(id));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  return { acknowledged: acked.size, stored: stored.length, distinct: seen.size, missing: missing.slice(0, 20), duplicated: duplicated.slice(0, 20) };
}
