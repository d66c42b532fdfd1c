/**
 * What the lineage search takes, said for people: the kinds of key it finds, and advice when a key finds
 * nothing. The API looks keys up exactly (every business key an event carries, correlation ids, and a SKU at a
 * location as `SKU@location`).
 */

export type SearchExample = { what: string; example: string };

/** Shown under the search box and on the empty screen. */
export const SEARCH_EXAMPLES: readonly SearchExample[] = [
  { what: 'Shopify order', example: '#1001' },
  { what: 'Amazon order', example: '302-1000001-0007919' },
  { what: 'payment', example: 'pi_3Sim…' },
  { what: 'refund', example: 're_3Sim…' },
  { what: 'return', example: 'RMA-000001' },
  { what: 'settlement', example: '11800000001' },
  { what: 'journal', example: 'JE-CM-000001' },
  { what: 'transfer', example: 'TR-0000001' },
  { what: 'correlation id', example: 'rtr-re_3Sim…' },
  { what: 'SKU at a location (its latest movements)', example: 'SKU-100042@store-001' },
];

export type SkuLocation = { sku: string; location: string };

/** `SKU-1@store-001`: a SKU at a location, the form the search box suggests for stock. */
export function parseSkuLocation(text: string): SkuLocation | undefined {
  const match = /^([^@\s]+)\s*@\s*([^@\s]+)$/.exec(text.trim());
  return match === null ? undefined : { sku: match[1]!, location: match[2]! };
}

/** What the search box sends: trimmed, and a SKU at a location written without spaces around the @. */
export function searchKey(text: string): string {
  const stock = parseSkuLocation(text);
  return stock === undefined ? text.trim() : `${stock.sku}@${stock.location}`;
}

/** The inventory screen filtered to one SKU at one location (its lag and stale stock, and the movements behind them). */
export function inventoryHref({ sku, location }: SkuLocation): string {
  return `?${new URLSearchParams({ view: 'inventory', sku, location })}`;
}

/** What to try when a key finds nothing, most likely first. */
export function notFoundAdvice(key: string): string[] {
  const advice: string[] = [];
  if (/^\d{1,6}$/.test(key)) advice.push(`Shopify order names start with #: try #${key}.`);
  if (key !== key.trim() || /^["'].*["']$/.test(key)) advice.push('Leave out quotes and spaces around the key.');
  advice.push('Keys match exactly, including case and prefixes such as re_, pi_ or #.');
  advice.push('Search a key the same transaction carries instead: its order id, payment id or correlation id.');
  advice.push('Sent just now? Events show within seconds of arriving: search again.');
  return advice;
}

/** "the key alone", "1 hop of linked keys", "3 hops of linked keys". */
export function describeDepth(depth: number): string {
  if (depth === 0) return 'the key alone';
  return `${depth} ${depth === 1 ? 'hop' : 'hops'} of linked keys`;
}

/** The most hops of linked keys the API follows. */
export const MAX_DEPTH = 6;

/** `?depth=` of a link: a whole number from 0 to 6, else the panel's default and what was wrong with it. */
export function parseDepth(text: string, fallback: number): { depth: number; problem?: string } {
  if (text === '') return { depth: fallback };
  const depth = Number(text);
  if (/^\d+$/.test(text) && depth <= MAX_DEPTH) return { depth };
  return { depth: fallback, problem: `The link's depth “${text}” is not a whole number from 0 to ${MAX_DEPTH}; following ${describeDepth(fallback)}.` };
}
