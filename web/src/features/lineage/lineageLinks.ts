/**
 * Links within the explorer, built on the current address so the view, depth and time range stay: a new search
 * (which drops the previous one's selection and filter), or a step picked in the graph.
 */

/** Parameters that belong to one search's answer and mean nothing for another key. */
export const SELECTION_PARAMS = ['correlation', 'step', 'system'] as const;

export function searchHref(key: string): string {
  const url = new URL(window.location.href);
  for (const name of SELECTION_PARAMS) url.searchParams.delete(name);
  url.searchParams.set('key', key);
  return `${url.pathname}${url.search}`;
}

export function stepHref(correlation: string, step: string): string {
  const url = new URL(window.location.href);
  url.searchParams.set('correlation', correlation);
  url.searchParams.set('step', step);
  return `${url.pathname}${url.search}`;
}

/** A plain click is handled in place; a modified one (new tab, new window) is left to the browser. */
export function isPlainClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean }): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
